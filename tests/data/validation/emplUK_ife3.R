d <- read.csv("EmplUK.csv")
m <- lm(log(emp) ~ log(wage) + log(capital) + factor(firm) + factor(year) + factor(sector):factor(year), data = d)
cat(sprintf("%s %.12f %.12f df=%d\n", c("log(wage)","log(capital)"), coef(m)[2:3], sqrt(diag(vcov(m)))[2:3], m$df.residual))
