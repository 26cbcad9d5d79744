# The peer side of bench/many_bench.sh (issue 27: 300 models on 200,000 rows). Two modes:
#   Rscript bench/many_fixest.R gen UNITS OUT.csv    UNITS units x 20 years; x1 (correlated with the unit effect), x2, x3;
#                                                    10 outcomes y1..y10 = 0.1k x1 - 0.2 x2 + 0.1 x3 + unit + year effects
#                                                    + N(0, 1); `sample` 1..4 fixed per unit; `region` R1..R4
#   Rscript bench/many_fixest.R fit FILE THREADS     what a user runs once: library(fixest) + fread + fixest's multiple
#                                                    estimation, 10 outcomes x csw(x1, x2, x3) x sw(unit, unit + year) x
#                                                    fsplit(sample: all + 4) = 300 models, cluster by unit; prints the
#                                                    first model's x1 coefficient and SE
suppressMessages(library(data.table))
a <- commandArgs(trailingOnly = TRUE)
if (a[1] == "gen") {
  u <- as.integer(a[2]); tn <- 20L; set.seed(20261207)
  d <- data.table(unit = rep(seq_len(u), each = tn), year = rep(2001:(2000 + tn), u))
  d[, sample := ((unit - 1L) %% 4L) + 1L]
  d[, region := paste0("R", ((unit - 1L) %/% ceiling(u / 4)) + 1L)]
  ue <- rnorm(u); ye <- rnorm(tn)
  d[, x1 := 0.5 * ue[unit] + rnorm(.N)][, x2 := rnorm(.N)][, x3 := 0.3 * x1 + rnorm(.N)]
  for (k in 1:10) d[, (paste0("y", k)) := (0.1 * k) * x1 - 0.2 * x2 + 0.1 * x3 + ue[unit] + ye[year - 2000L] + rnorm(.N)]
  fwrite(d, a[3])
  quit(save = "no")
}
suppressMessages(library(fixest))
threads <- as.integer(a[3]); setFixest_nthreads(threads); setDTthreads(threads)
d <- fread(a[2])
m <- feols(c(y1, y2, y3, y4, y5, y6, y7, y8, y9, y10) ~ csw(x1, x2, x3) | sw(unit, unit + year), d, fsplit = ~sample, cluster = ~unit)
f <- m[[1]]
cat(sprintf("%d models; first: x1 %.15g (%.15g)\n", length(m), coef(f)[["x1"]], se(f)[["x1"]]))
