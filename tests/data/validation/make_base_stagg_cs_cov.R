## Callaway & Sant'Anna (2021) WITH a covariate on fixest's base_stagg: R's did (github bcallaway11/did, version in the
## output) and DRDID (github pedrohcgs/DRDID) sourced from their public sources, because neither package (nor fastglm,
## BMisc) is installed here and CRAN is not reachable. Shims, all numerically neutral:
##  - fastglm::fastglm(x, y, family, weights) -> stats::glm.fit with epsilon = 1e-14 (the same MLE / weighted LS, solved
##    to machine precision instead of fastglm's default tolerance);
##  - BMisc's small helpers (get_list_element, rhs_vars, toformula, TorF) re-written from their documented behaviour.
## Data: data/base_stagg.csv; g = year_treated (10000 -> 0 = never); covariate x1 (time-varying: did takes it from the
## earlier period of each 2x2). Cells: est_method reg | ipw | dr, control never | notyet, base period varying | universal.
## Usage (from tests/data/validation): Rscript make_base_stagg_cs_cov.R did/R drdid/R base_stagg.csv base_stagg_cs_cov.json
## with did/R and drdid/R the R/ folders of the two repositories, e.g. `git --git-dir=/work/.mirror/bcallaway11+did/repo archive HEAD R DESCRIPTION | tar -x -C did`.
suppressMessages({library(data.table); library(Matrix)})
## jsonlite is not installed either: a minimal writer (numbers as %.17g, vectors as arrays, lists as objects).
to_json <- function(x, ind = "") {
  nx <- paste0(ind, "  ")
  if (is.list(x)) return(paste0("{\n", paste0(nx, "\"", names(x), "\": ", vapply(x, to_json, "", ind = nx), collapse = ",\n"), "\n", ind, "}"))
  if (is.character(x)) return(if (length(x) == 1) paste0("\"", gsub("\"", "\\\\\"", x), "\"") else paste0("[", paste0("\"", x, "\"", collapse = ", "), "]"))
  v <- ifelse(is.na(x), "null", sprintf("%.17g", as.numeric(x)))
  if (length(x) == 1) v else paste0("[", paste(v, collapse = ", "), "]")
}
args <- commandArgs(TRUE)
fastglm_shim <- function(x, y, family = gaussian(), weights = NULL, intercept = TRUE, method = 0, ...) {
  if (is.null(weights)) weights <- rep(1, length(y))
  f <- suppressWarnings(stats::glm.fit(x = x, y = y, weights = weights, family = family, intercept = intercept,
                                       control = stats::glm.control(epsilon = 1e-14, maxit = 100)))
  f$coefficients <- f$coefficients; class(f) <- c("glm", "lm"); f
}
get_list_element <- function(listolists, whichone = 1) lapply(listolists, function(l) l[[whichone]])
rhs_vars <- function(formla) { labels(terms(formla)) }
toformula <- function(yname, xnames) { if (length(xnames) == 0) return(as.formula(paste0(yname, " ~ 1"))); as.formula(paste0(yname, " ~ ", paste0(xnames, collapse = "+"))) }
TorF <- function(cond, use_isTRUE = FALSE) { if (use_isTRUE) return(isTRUE(cond)); cond[is.na(cond)] <- FALSE; cond }
load_src <- function(dir) for (f in list.files(dir, pattern = "\\.R$", full.names = TRUE)) {
  src <- paste(readLines(f, warn = FALSE), collapse = "\n")
  src <- gsub("fastglm::fastglmPure\\(|fastglm::fastglm\\(", "fastglm_shim(", src)
  src <- gsub("(BMisc|DRDID)::", "", src)
  tryCatch(eval(parse(text = src), envir = globalenv()), error = function(e) message("skipped ", basename(f), ": ", conditionMessage(e)))
}
load_src(args[2]); load_src(args[1])
d <- read.csv(args[3])
d$g <- ifelse(d$year_treated > 100, 0, d$year_treated)
out <- list(case = "base_stagg, y on cohorts g = year_treated (0 = never), units id, periods year; covariate x1 (xformla = ~x1)",
            call = "att_gt(yname='y', tname='year', idname='id', gname='g', xformla=~x1, control_group=CTL, est_method=EST, base_period=BASE, bstrap=FALSE, cband=FALSE); aggte(type='simple'|'dynamic'|'group', bstrap=FALSE)",
            sources = list(did = read.dcf(file.path(args[1], "..", "DESCRIPTION"))[, "Version"], DRDID = read.dcf(file.path(args[2], "..", "DESCRIPTION"))[, "Version"], R = R.version.string),
            shims = "fastglm -> glm.fit(epsilon = 1e-14); BMisc helpers rewritten")
for (est in c("reg", "ipw", "dr")) for (ctl in c("nevertreated", "notyettreated")) for (base in c("varying", "universal")) {
  a <- suppressWarnings(att_gt(yname = "y", tname = "year", idname = "id", gname = "g", xformla = ~x1, data = d, control_group = ctl,
              bstrap = FALSE, cband = FALSE, est_method = est, base_period = base))
  s <- aggte(a, type = "simple", bstrap = FALSE); dy <- aggte(a, type = "dynamic", bstrap = FALSE); gr <- aggte(a, type = "group", bstrap = FALSE)
  out[[paste(est, ctl, base, sep = "_")]] <- list(cell_group = a$group, time = a$t, att = a$att, se = a$se,
     simple = list(att = s$overall.att, se = s$overall.se),
     dynamic = list(e = dy$egt, att = dy$att.egt, se = dy$se.egt, overall_att = dy$overall.att, overall_se = dy$overall.se),
     group = list(g = gr$egt, att = gr$att.egt, se = gr$se.egt, overall_att = gr$overall.att, overall_se = gr$overall.se))
}
writeLines(to_json(out), args[4])
