#!/usr/bin/awk -f
# Prints gensim-compare.sh's results.tsv (tool, seed, corpus words/s, analogy %, WS-353, MEN, MTurk-771; one row per
# tool and run) as two Markdown tables: speed per run with embed's ratio to gensim, then accuracy per run and the
# mean of each tool over its runs.
BEGIN { FS = "\t" }
{
  tool[NR] = $1; seed[NR] = $2; rate[$1, $2] = $3
  if (!($2 in seen)) { seen[$2] = 1; seeds[++nseeds] = $2 }
  for (c = 4; c <= 7; c++) { value[NR, c] = $c; sum[$1, c] += $c }
  runs[$1]++
}
END {
  print "| seed | gensim words/s | embed words/s | embed / gensim |"
  print "| --- | --- | --- | --- |"
  for (i = 1; i <= nseeds; i++) {
    s = seeds[i]; g = rate[("gensim"), s]; e = rate[("embed"), s]
    printf "| %s | %.0fk | %.0fk | %s |\n", s, g / 1e3, e / 1e3, (g > 0 ? sprintf("%.2fx", e / g) : "-")
  }
  print ""
  print "| tool | seed | analogy % | WS-353 | MEN | MTurk-771 |"
  print "| --- | --- | --- | --- | --- | --- |"
  for (r = 1; r <= NR; r++) printf "| %s | %s | %s | %s | %s | %s |\n", tool[r], seed[r], value[r, 4], value[r, 5], value[r, 6], value[r, 7]
  for (t in runs)
    printf "| **%s mean** | %d runs | %.2f | %.3f | %.3f | %.3f |\n", t, runs[t], sum[t, 4] / runs[t], sum[t, 5] / runs[t],
      sum[t, 6] / runs[t], sum[t, 7] / runs[t]
}
