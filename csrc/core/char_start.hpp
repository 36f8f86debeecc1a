// Starting BPE from whole characters instead of bytes, where that gives the same result.
//
// Byte-level BPE spends most merges of non-Latin text rebuilding characters from their bytes
// (a Chinese character is three bytes, two merges, before any merge that matters). A
// character c can start as its token when
//  - BPE of c's own bytes gives c, and every merge that takes c as one side ranks above the
//    highest-ranked merge of that BPE (the model checks both at load,
//    BpeModel::chars_that_may_start_whole), and
//  - no token can occur across c's edge in this text: none that starts inside c and ends
//    after it, none that starts before c and ends inside it (checked here, per occurrence).
// Then c's bytes can only merge with each other, into c, by merges that all rank below any
// merge that takes c as one side: while c is incomplete, its next merge is available and
// outranks every merge involving c, so BPE completes c before such a merge could be chosen.
// So BPE from bytes makes the same merges of the other symbols, in the same order, as BPE
// from the same symbols with such characters already whole: it only interleaves their own
// merges. The other characters stay as bytes, and BPE runs on the mix.
//
// The edge checks look tokens up by two bytes: those that start with a continuation byte
// (they may start inside a character) and those whose last character is incomplete (they
// may end inside one). o200k has 244 and 606; most pairs of bytes start or end none.
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
  // usable(id): whether a character's token may start whole (the first condition above).
  template <class Usable>
  CharStart(const Vocab& vocab, const std::array<TokenId, 256>& byte_token, Usable&& usable);

  bool enabled() const { return !char_token_.empty(); }

  // Writes the symbols BPE may start from (safe characters as their tokens, everything else
  // as bytes) to out and returns how many; 0 when no character is safe, or the piece is not
  // well-formed UTF-8 of up to three bytes a character (out may be written to either way).
  std::size_t symbols(const std::uint8_t* p, std::size_t n, TokenId* out) const;

 private:
  // Tokens across an edge, grouped by a key of two bytes: the first two (starts) or the last
  // two (ends). `bits` says which keys have any; `first`/`ids` list them by key.
  struct ByPair {
    std::vector<std::uint64_t> bits;  // 65,536 bits
    std::vector<std::uint32_t> first;  // 65,537 offsets into tokens
    std::vector<std::string> tokens;   // their bytes (a copy: a few hundred short strings)
    bool any(std::uint32_t key) const { return (bits[key >> 6] >> (key & 63)) & 1; }
  };
  static ByPair group(std::vector<std::pair<std::uint32_t, std::string>> keyed);
  bool safe(const std::uint8_t* p, std::size_t n, std::size_t i, std::size_t len) const;

  std::array<TokenId, 256> byte_token_{};
  std::vector<TokenId> char_token_;  // by code point below U+10000: its valid token, or none
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

template <class Usable>
CharStart::CharStart(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
                     Usable&& usable)
    : byte_token_(byte_token) {
  std::vector<TokenId> by_cp(0x10000, kNoToken);
  std::vector<std::pair<std::uint32_t, std::string>> starts, ends;
  for (TokenId id = 0; id < vocab.n_ids(); ++id) {
    const std::string_view b = vocab.bytes_of(id);
    if (b.size() < 2) continue;
    const auto* u = reinterpret_cast<const std::uint8_t*>(b.data());
    const std::uint32_t first2 = std::uint32_t{u[0]} << 8 | u[1];
    const std::uint32_t last2 = std::uint32_t{u[b.size() - 2]} << 8 | u[b.size() - 1];
    if ((u[0] & 0xC0) == 0x80) starts.emplace_back(first2, std::string(b));
    if (detail::ends_inside(b)) ends.emplace_back(last2, std::string(b));
    if (b.size() == detail::utf8_len(u[0]) && b.size() <= 3 && usable(id)) {
      const std::uint32_t cp = b.size() == 2
                                   ? (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu)
                                   : (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
      by_cp[cp] = id;
    }
  }
  starts_ = group(std::move(starts));
  ends_ = group(std::move(ends));
  char_token_ = std::move(by_cp);
}

inline CharStart::ByPair CharStart::group(
    std::vector<std::pair<std::uint32_t, std::string>> keyed) {
  // By key, longest first: a check wants only tokens longer than some length, so it stops at
  // the first one that is not.
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.size() > b.second.size();
  });
  ByPair g;
  g.bits.assign(65536 / 64, 0);
  g.first.assign(65537, 0);
  for (auto& [key, bytes] : keyed) {
    g.bits[key >> 6] |= std::uint64_t{1} << (key & 63);
    ++g.first[key + 1];
    g.tokens.push_back(std::move(bytes));
  }
  for (std::size_t k = 1; k < g.first.size(); ++k) g.first[k] += g.first[k - 1];
  return g;
}

// Whether the character at p[i .. i + len) is safe (see the top of the file); it is a token.
inline bool CharStart::safe(const std::uint8_t* p, std::size_t n, std::size_t i,
                            std::size_t len) const {
  const std::size_t end = i + len;
  // Tokens starting inside the character (at a continuation byte) that go past its end.
  for (std::size_t j = i + 1; j < end; ++j) {
    if (j + 1 >= n) break;
    const std::uint32_t key = std::uint32_t{p[j]} << 8 | p[j + 1];
    if (!starts_.any(key)) continue;
    for (std::uint32_t k = starts_.first[key]; k < starts_.first[key + 1]; ++k) {
      const std::string& t = starts_.tokens[k];
      if (j + t.size() <= end) break;  // this one and the rest end inside the character
      if (j + t.size() <= n && std::memcmp(p + j, t.data(), t.size()) == 0) return false;
    }
  }
  // Tokens ending inside the character (before its last byte) that start before it.
  for (std::size_t j = i; j + 1 < end; ++j) {
    if (j == 0) continue;
    const std::uint32_t key = std::uint32_t{p[j - 1]} << 8 | p[j];
    if (!ends_.any(key)) continue;
    for (std::uint32_t k = ends_.first[key]; k < ends_.first[key + 1]; ++k) {
      const std::string& t = ends_.tokens[k];
      if (t.size() <= j + 1 - i) break;  // this one and the rest start inside the character
      if (t.size() <= j + 1 && std::memcmp(p + j + 1 - t.size(), t.data(), t.size()) == 0) {
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
    const TokenId c = char_token_[cp];
    if (c != kNoToken && safe(p, n, i, len)) {
      out[k++] = c;
    } else {
      for (std::size_t j = 0; j < len; ++j) out[k++] = byte_token_[p[i + j]];
    }
    i += len;
  }
  return k < n ? k : 0;
}

}  // namespace tokbench
