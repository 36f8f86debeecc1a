// BPE of one token's own bytes, done the plain way (the lowest rank first, the leftmost among
// equals; a token has a few symbols, so rescanning is fine). Used at load time to learn which
// tokens BPE rebuilds from their bytes, and by which merges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vocab.hpp"

namespace tokbench::detail {

// `sym` holds the symbols on entry (a token's byte tokens) and what BPE leaves on return.
// rank_of(left, right): the pair's rank, or 0xFFFFFFFF if it does not merge; merged_of(rank):
// the token that merge makes; on_merge(left, right, rank) sees each merge, in order.
template <class RankOf, class MergedOf, class OnMerge>
void bpe_of_symbols(std::vector<TokenId>& sym, RankOf&& rank_of, MergedOf&& merged_of,
                    OnMerge&& on_merge) {
  constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  while (sym.size() > 1) {
    std::uint32_t best = kNone;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
      const std::uint32_t r = rank_of(sym[i], sym[i + 1]);
      if (r < best) {
        best = r;
        at = i;
      }
    }
    if (best == kNone) return;
    on_merge(sym[at], sym[at + 1], best);
    sym[at] = merged_of(best);
    sym.erase(sym.begin() + static_cast<std::ptrdiff_t>(at) + 1);
  }
}

}  // namespace tokbench::detail
