// Starting BPE from whole characters instead of bytes, where that gives the same result.
//
// Byte-level BPE spends most merges of non-Latin text rebuilding characters from their bytes
// (a Chinese character is three bytes, two merges, before any merge that matters). A
// character c can start as its token when
//  - BPE of c's own bytes gives c, and every merge that takes c as one side ranks above the
//    highest-ranked merge of that BPE (the model checks both at load,
//    BpeModel::chars_that_may_start_whole), and
//  - no merge across c's edge can come first in this text: every token that occurs across
//    the edge here (one that starts inside c and ends after it, or starts before c and ends
//    inside it) is only made by merges that rank above c's highest own merge (checked here,
//    per occurrence). While c is incomplete, its next own merge is available and outranks
//    every merge across its edge, and every merge that takes c as one side, so BPE
//    completes c before either kind could be chosen; once c is complete, no merge can cross
//    its edge.
// Then c's bytes can only merge with each other, into c, before anything else touches them.
// So BPE from bytes makes the same merges of the other symbols, in the same order, as BPE
// from the same symbols with such characters already whole: it only interleaves their own
// merges. The other characters stay as bytes, and BPE runs on the mix.
//
// The edge checks look tokens up by two bytes: those that start with a continuation byte
// (they may start inside a character) and those whose last character is incomplete (they
// may end inside one). o200k has 244 and 606; most pairs of bytes start or end none. With
// tiktoken ranks a token is made only by merges ranked at its id, so such a token blocks a
// character only if it is older than the character's own token: o200k's " \xd8" (space and
// an Arabic lead byte) is younger than the Arabic letters, so it blocks none of them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vocab.hpp"

namespace tokbench {

class CharStart {
 public:
  CharStart() = default;
  // done_rank[id]: for a character's token that may start whole (the first condition
  // above), the highest rank of its own BPE, else kNone. made_at[id]: the lowest rank of a
  // merge that makes token id (kNone if none does).
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  CharStart(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
            const std::vector<std::uint32_t>& done_rank, const std::vector<std::uint32_t>& made_at);

  bool enabled() const { return !whole_.empty(); }

  // Writes the symbols BPE may start from (safe characters as their tokens, everything else
  // as bytes) to out and returns how many; 0 when no character is safe, or the piece is not
  // well-formed UTF-8 of up to three bytes a character (out may be written to either way).
  std::size_t symbols(const std::uint8_t* p, std::size_t n, TokenId* out) const;

 private:
  // Tokens across an edge, grouped by a key of two bytes: the first two (starts) or the last
  // two (ends). `bits` says which keys have any; `first`/`ids` list them by key.
  struct Edge {
    std::string bytes;   // a copy: a few hundred short strings
    std::uint32_t made_at;  // lowest rank of a merge that makes it
  };
  struct ByPair {
    std::vector<std::uint64_t> bits;  // 65,536 bits
    std::vector<std::uint32_t> first;  // 65,537 offsets into tokens
    std::vector<std::uint32_t> made;   // 65,536: the lowest made_at of each key's tokens
    std::vector<Edge> tokens;
    bool any(std::uint32_t key) const { return (bits[key >> 6] >> (key & 63)) & 1; }
    // Whether some token of `key` could block a character whose own merges rank up to
    // `done` (a whole group of younger tokens is passed over at once: o200k's " \xd8"
    // group before every Arabic word).
    bool may_block(std::uint32_t key, std::uint32_t done) const {
      return any(key) && made[key] <= done;
    }
  };
  static ByPair group(std::vector<std::pair<std::uint32_t, Edge>> keyed);
  bool safe(const std::uint8_t* p, std::size_t n, std::size_t i, std::size_t len,
            std::uint32_t done) const;

  struct Whole {
    TokenId id = kNoToken;  // the character's token, if it may start whole
    std::uint32_t done = kNone;  // the highest rank of its own BPE
  };
  std::array<TokenId, 256> byte_token_{};
  std::vector<Whole> whole_;  // by code point below U+10000
  ByPair starts_, ends_;
};

// ---------------------------------------------------------------------------------------------

namespace detail {
// Length of the UTF-8 sequence a lead byte starts (1 for ASCII; 0 for a continuation byte or
// an invalid lead).
inline std::size_t utf8_len(std::uint8_t b) {
  if (b < 0x80) return 1;
  if (b < 0xC2) return 0;
  if (b < 0xE0) return 2;
  if (b < 0xF0) return 3;
  return b < 0xF5 ? 4 : 0;
}
// Whether the token's bytes end with an incomplete character (or with a stray byte that no
// character completes): it may end inside a character of the text.
inline bool ends_inside(std::string_view b) {
  std::size_t i = b.size();
  std::size_t back = 0;
  while (i > 0 && back < 4 && (static_cast<std::uint8_t>(b[i - 1]) & 0xC0) == 0x80) {
    --i;
    ++back;
  }
  if (i == 0) return true;  // only continuation bytes
  const std::size_t need = utf8_len(static_cast<std::uint8_t>(b[i - 1]));
  return need == 0 || back + 1 < need;
}
}  // namespace detail

inline CharStart::CharStart(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
                            const std::vector<std::uint32_t>& done_rank,
                            const std::vector<std::uint32_t>& made_at)
    : byte_token_(byte_token) {
  std::vector<Whole> by_cp(0x10000);
  std::vector<std::pair<std::uint32_t, Edge>> starts, ends;
  for (TokenId id = 0; id < vocab.n_ids(); ++id) {
    const std::string_view b = vocab.bytes_of(id);
    if (b.size() < 2) continue;
    const auto* u = reinterpret_cast<const std::uint8_t*>(b.data());
    const std::uint32_t first2 = std::uint32_t{u[0]} << 8 | u[1];
    const std::uint32_t last2 = std::uint32_t{u[b.size() - 2]} << 8 | u[b.size() - 1];
    const std::uint32_t made = id < made_at.size() ? made_at[id] : kNone;
    if ((u[0] & 0xC0) == 0x80) starts.push_back({first2, Edge{std::string(b), made}});
    if (detail::ends_inside(b)) ends.push_back({last2, Edge{std::string(b), made}});
    if (b.size() == detail::utf8_len(u[0]) && b.size() <= 3 && id < done_rank.size() &&
        done_rank[id] != kNone) {
      const std::uint32_t cp = b.size() == 2
                                   ? (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu)
                                   : (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
      by_cp[cp] = Whole{id, done_rank[id]};
    }
  }
  starts_ = group(std::move(starts));
  ends_ = group(std::move(ends));
  whole_ = std::move(by_cp);
}

inline CharStart::ByPair CharStart::group(std::vector<std::pair<std::uint32_t, Edge>> keyed) {
  // By key, longest first: a check wants only tokens longer than some length, so it stops at
  // the first one that is not.
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : a.second.bytes.size() > b.second.bytes.size();
  });
  ByPair g;
  g.bits.assign(65536 / 64, 0);
  g.first.assign(65537, 0);
  g.made.assign(65536, kNone);
  for (auto& [key, edge] : keyed) {
    g.bits[key >> 6] |= std::uint64_t{1} << (key & 63);
    ++g.first[key + 1];
    g.made[key] = std::min(g.made[key], edge.made_at);
    g.tokens.push_back(std::move(edge));
  }
  for (std::size_t k = 1; k < g.first.size(); ++k) g.first[k] += g.first[k - 1];
  return g;
}

// Whether the character at p[i .. i + len) is safe (see the top of the file); it is a token.
// `done`: the highest rank of the character's own BPE; a token across its edge that only
// merges ranked above it make cannot come first.
inline bool CharStart::safe(const std::uint8_t* p, std::size_t n, std::size_t i, std::size_t len,
                            std::uint32_t done) const {
  const std::size_t end = i + len;
  // Tokens starting inside the character (at a continuation byte) that go past its end.
  for (std::size_t j = i + 1; j < end; ++j) {
    if (j + 1 >= n) break;
    const std::uint32_t key = std::uint32_t{p[j]} << 8 | p[j + 1];
    if (!starts_.may_block(key, done)) continue;
    for (std::uint32_t k = starts_.first[key]; k < starts_.first[key + 1]; ++k) {
      const Edge& t = starts_.tokens[k];
      const std::size_t size = t.bytes.size();
      if (j + size <= end) break;  // this one and the rest end inside the character
      if (t.made_at <= done && j + size <= n && std::memcmp(p + j, t.bytes.data(), size) == 0) {
        return false;
      }
    }
  }
  // Tokens ending inside the character (before its last byte) that start before it.
  for (std::size_t j = i; j + 1 < end; ++j) {
    if (j == 0) continue;
    const std::uint32_t key = std::uint32_t{p[j - 1]} << 8 | p[j];
    if (!ends_.may_block(key, done)) continue;
    for (std::uint32_t k = ends_.first[key]; k < ends_.first[key + 1]; ++k) {
      const Edge& t = ends_.tokens[k];
      const std::size_t size = t.bytes.size();
      if (size <= j + 1 - i) break;  // this one and the rest start inside the character
      if (t.made_at <= done && size <= j + 1 &&
          std::memcmp(p + j + 1 - size, t.bytes.data(), size) == 0) {
        return false;
      }
    }
  }
  return true;
}

inline std::size_t CharStart::symbols(const std::uint8_t* p, std::size_t n, TokenId* out) const {
  std::size_t k = 0;
  for (std::size_t i = 0; i < n;) {
    const std::uint8_t b = p[i];
    if (b < 0x80) {
      out[k++] = byte_token_[b];
      ++i;
      continue;
    }
    const std::size_t len = detail::utf8_len(b);
    if (len < 2 || len > 3 || i + len > n) return 0;
    std::uint32_t cp = len == 2 ? b & 0x1Fu : b & 0x0Fu;
    for (std::size_t j = 1; j < len; ++j) {
      if ((p[i + j] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (p[i + j] & 0x3Fu);
    }
    if (len == 3 && cp < 0x800) return 0;  // overlong: not the bytes the table was built from
    const Whole c = whole_[cp];
    if (c.id != kNoToken && safe(p, n, i, len, c.done)) {
      out[k++] = c.id;
    } else {
      for (std::size_t j = 0; j < len; ++j) out[k++] = byte_token_[p[i + j]];
    }
    i += len;
  }
  return k < n ? k : 0;
}

}  // namespace tokbench
