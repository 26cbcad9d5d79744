# Times the peer fit for the README: plm two-way within + vcovHC(cluster = "group") on the
# same synthetic panel the C# benchmark uses (written by `dotnet run --project bench -- --write-panel FILE`).
# Usage: Rscript bench/plm_bench.R FILE [REPS]
suppressMessages(library(plm))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
reps <- if (length(args) > 1) as.integer(args[2]) else 50
fit <- function() {
  m <- plm(y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7, data = d, index = c("city", "year"),
           model = "within", effect = "twoways")
  sqrt(diag(vcovHC(m, type = "sss", cluster = "group")))
}
se <- fit()
invisible(fit()); invisible(fit())
t <- system.time(for (i in seq_len(reps)) fit())[["elapsed"]]
cat(sprintf("plm se(x1) = %.10f\n", se[["x1"]]))
cat(sprintf("plm: %.3f ms per fit (%d reps, plm(data, index) + vcovHC)\n", 1000 * t / reps, reps))
