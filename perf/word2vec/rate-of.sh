# Sourced by the word2vec scripts. rate_of: words/s as a plain number from standard input, read from
# "0.50M corpus words/s" (gensim) or "(742.0k words/s)" (embed).
rate_of() { sed -n 's/.*[( ]\([0-9.]*\)\([kM]\)\{0,1\} \(corpus \)\{0,1\}words\/s.*/\1 \2/p' | head -1 |
  awk '{ m = $2 == "M" ? 1e6 : $2 == "k" ? 1e3 : 1; printf "%.0f", $1 * m }'; }
