# Optional anchor for `deno task bench --anchors` (polylab itself never needs R).
# Times the R package nn2poly on one network of the fixtures' layout (weights rows = inputs + 1,
# bias first; the package's own list-of-matrices input named by activation):
#   Rscript bench/anchors/nn2poly.R FILE.json
# Prints {"seconds": S, "nn2poly": VERSION, "terms": N}; S is nn2poly()'s elapsed time only.
# Needs the packages nn2poly and jsonlite. Not exercised on the development machine (no R there).
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages({
  library(jsonlite)
  library(nn2poly)
})
fx <- fromJSON(args[[1]], simplifyVector = FALSE)
weights <- lapply(fx$layers, function(l) do.call(rbind, lapply(l$weights, unlist)))
names(weights) <- vapply(fx$layers, function(l) l$activation, "")
taylor <- unlist(fx$taylor_orders)
t0 <- proc.time()
res <- nn2poly(weights, max_order = fx$max_order, taylor_orders = taylor)
elapsed <- (proc.time() - t0)[["elapsed"]]
cat(toJSON(list(
  seconds = elapsed,
  nn2poly = as.character(packageVersion("nn2poly")),
  terms = length(res$labels)
), auto_unbox = TRUE, digits = NA))
