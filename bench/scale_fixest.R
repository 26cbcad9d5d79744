# The peer side of bench/scale_bench.sh. Two modes:
#   Rscript bench/scale_fixest.R gen N OUT.csv        data in fixest's published benchmark shape: N rows, a unit seen in
#                                                      20 periods (N/20 levels), dum_2 with floor(sqrt(N)) and dum_3 with
#                                                      floor(N^0.33) random levels, x1, x2 ~ N(0, 1), y = x1 + 0.05 x2 +
#                                                      one effect per level of each factor + N(0, 1) noise
#   Rscript bench/scale_fixest.R fit FILE THREADS     what a user runs once: library(fixest) + fread + feols with cluster
#                                                      SE by unit on THREADS threads; prints the coefficients and SEs
#   Rscript bench/scale_fixest.R fitonly FILE THREADS REPS   the fit alone (bench/fit_alone_bench.sh): the data read once,
#                                                      one warm-up feols, then REPS timed ones; median, min, max
suppressMessages(library(data.table))
a <- commandArgs(trailingOnly = TRUE)
if (a[1] == "gen") {
  n <- as.integer(a[2]); set.seed(20261207)
  levels <- c(n %/% 20, floor(sqrt(n)), floor(n^0.33))
  d <- data.table(unit = rep(seq_len(levels[1]), each = 20), t = rep(1:20, levels[1]))
  d[, dum_2 := sample.int(levels[2], n, replace = TRUE)]
  d[, dum_3 := sample.int(levels[3], n, replace = TRUE)]
  d[, x1 := rnorm(n)][, x2 := rnorm(n)]
  e1 <- rnorm(levels[1]); e2 <- rnorm(levels[2]); e3 <- rnorm(levels[3])
  d[, y := x1 + 0.05 * x2 + e1[unit] + e2[dum_2] + e3[dum_3] + rnorm(n)]
  fwrite(d, a[3])
  quit(save = "no")
}
suppressMessages(library(fixest))
threads <- as.integer(a[3]); setFixest_nthreads(threads); setDTthreads(threads)
d <- fread(a[2])
m <- feols(y ~ x1 + x2 | unit + dum_2 + dum_3, d, cluster = ~unit)
if (a[1] == "fitonly") {
  reps <- as.integer(a[4])
  times <- sort(replicate(reps, system.time(feols(y ~ x1 + x2 | unit + dum_2 + dum_3, d, cluster = ~unit))[["elapsed"]]))
  cat(sprintf("fixest fit alone: median %.3f s (min %.3f, max %.3f) of %d; x1 %.15g (%.15g)\n", times[(reps + 1) %/% 2], times[1], times[reps], reps, coef(m)[1], se(m)[1]))
  quit(save = "no")
}
cat(sprintf("x1 %.15g (%.15g)  x2 %.15g (%.15g)\n", coef(m)[1], se(m)[1], coef(m)[2], se(m)[2]))
