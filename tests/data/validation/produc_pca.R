# Reference for the PCA index: prcomp(scale. = TRUE) on 7 Produc indicators (plm::Produc; pcap is left out because pcap = hwy + water + util exactly).
# Run: Rscript produc_pca.R > produc_pca.txt   (R 4.2.2, Debian bookworm)
d <- read.csv("Produc.csv")
x <- d[, c("hwy", "water", "util", "pc", "gsp", "emp", "unemp")]
p <- prcomp(x, scale. = TRUE)
cat(sprintf("eigen %.17g\n", p$sdev^2), sep = "")
for (j in seq_len(ncol(p$rotation)))
  cat("loading", j, sprintf("%.17g", abs(p$rotation[, j])), "\n")
