# Reference numbers for the group-difference (Chow-type) tests: the fully interacted model fitted
# by lm with every regressor x group and the fixed effects as dummies (state, year x group), on the
# Produc panel (plm). Writes groupdiff.csv beside this script. Run from this directory:
#   Rscript groupdiff.R
# Needs r-base-core, r-cran-sandwich, r-cran-lmtest (Debian bookworm: R 4.2.2, sandwich 3.0-2, lmtest 0.9-40).
suppressMessages({ library(sandwich); library(lmtest) })
d <- read.csv("Produc.csv")
d$g2 <- factor(ifelse(d$region <= 4, 1, 2))
d$g3 <- factor(ifelse(d$region <= 3, 1, ifelse(d$region <= 6, 2, 3)))
terms <- c("log(pcap)", "log(pc)", "log(emp)", "unemp")
out <- data.frame()
add <- function(case, vcov, kind, term, groups, est, se, stat, p, df1, df2) {
  out <<- rbind(out, data.frame(case = case, vcov = vcov, kind = kind, term = term, groups = groups,
                                estimate = sprintf("%.17g", est), se = sprintf("%.17g", se),
                                stat = sprintf("%.17g", stat), p = sprintf("%.17g", p),
                                df1 = df1, df2 = df2))
}
# W = (Rb)'(R V R')^-1 (Rb); F = W / q with p from F(q, df2): df2 = N - rank for iid/HC1, G - 1 for
# clusters (Stata's convention, which the system uses; R's waldtest would use N - rank throughout).
wald <- function(b, V, R) { rb <- R %*% b; as.numeric(t(rb) %*% solve(R %*% V %*% t(R), rb)) }
run <- function(case, m, gname, gl, vcovs) {
  b <- coef(m); b <- b[!is.na(b)]
  nm <- function(term, g) { a <- paste0(term, ":", gname, g); if (a %in% names(b)) a else paste0(gname, g, ":", term) }
  n <- nobs(m); rank <- m$rank; G <- length(unique(d$state))
  add(case, "-", "n", "-", "-", n, rank, n - rank, 0, 0, 0)
  for (v in names(vcovs)) {
    V <- vcovs[[v]]
    stopifnot(all(colnames(V) == names(b)))
    df2 <- if (v == "cluster") G - 1 else n - rank
    for (term in terms) for (g in gl) {
      k <- nm(term, g); est <- b[[k]]; se <- sqrt(V[k, k]); t <- est / se
      add(case, v, "coef", term, g, est, se, t, 2 * pt(-abs(t), df2), 0, df2)
    }
    for (term in terms) for (i in seq_along(gl)) for (j in seq_along(gl)) if (i < j) {
      r <- setNames(rep(0, length(b)), names(b)); r[nm(term, gl[i])] <- 1; r[nm(term, gl[j])] <- -1
      est <- sum(r * b); se <- sqrt(as.numeric(t(r) %*% V %*% r)); t <- est / se
      add(case, v, "diff", term, paste0(gl[i], "-", gl[j]), est, se, t, 2 * pt(-abs(t), df2), 0, df2)
    }
    contrast <- function(tt) {
      rows <- list()
      for (term in tt) for (j in 2:length(gl)) {
        r <- setNames(rep(0, length(b)), names(b)); r[nm(term, gl[1])] <- 1; r[nm(term, gl[j])] <- -1
        rows[[length(rows) + 1]] <- r
      }
      do.call(rbind, rows)
    }
    for (tt in c(as.list(terms), list(terms))) {
      R <- contrast(tt); q <- nrow(R); w <- wald(b, V, R)
      add(case, v, "wald", if (length(tt) > 1) "ALL" else tt, "-", w / q, NA, w, pf(w / q, q, df2, lower.tail = FALSE), q, df2)
    }
  }
}
vc <- function(m) list(iid = vcov(m)[!is.na(coef(m)), !is.na(coef(m))],
                       hc1 = vcovHC(m, type = "HC1"),
                       cluster = vcovCL(m, cluster = ~state, type = "HC1"))
# Within models: state dummies plus year x group dummies; slopes interacted with the group (no main slope).
fe2 <- lm(log(gsp) ~ (log(pcap) + log(pc) + log(emp) + unemp):g2 + factor(state) + factor(year):g2, data = d)
run("fe2", fe2, "g2", c("1", "2"), vc(fe2))
fe3 <- lm(log(gsp) ~ (log(pcap) + log(pc) + log(emp) + unemp):g3 + factor(state) + factor(year):g3, data = d)
run("fe3", fe3, "g3", c("1", "2", "3"), vc(fe3))
# Pooled OLS: a group intercept and group slopes.
ols2 <- lm(log(gsp) ~ g2 + (log(pcap) + log(pc) + log(emp) + unemp):g2, data = d)
run("ols2", ols2, "g2", c("1", "2"), vc(ols2))
# Cross-check of the hand-made Wald statistic against the classical Chow F of the nested lm fits (iid).
r0 <- lm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + factor(state) + factor(year):g2, data = d)
wt <- anova(r0, fe2)
ours <- out[out$case == "fe2" & out$vcov == "iid" & out$kind == "wald" & out$term == "ALL", ]
stopifnot(abs(as.numeric(ours$estimate) - wt$F[2]) < 1e-8 * wt$F[2])
write.csv(out, "groupdiff.csv", row.names = FALSE, quote = FALSE)
