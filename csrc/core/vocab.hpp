// Token byte strings by id, and the reverse lookup from bytes to id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "blocked_bloom.hpp"
#include "hash.hpp"
#include "huge_array.hpp"

namespace tokbench {

using TokenId = std::uint32_t;
constexpr TokenId kNoToken = 0xFFFFFFFFu;

// Immutable after construction. Ids are dense indices into `offsets`; an id whose span is
// empty has no byte string (a gap in the id space, e.g. where a special token lives).
class Vocab {
 public:
  // bytes: all token byte strings back to back; offsets: n_ids + 1 positions into bytes.
  // Throws VocabError on inconsistent offsets or on a byte string given to two ids.
  Vocab(std::vector<std::uint8_t> bytes, std::vector<std::uint32_t> offsets);

  std::size_t n_ids() const { return offsets_.size() - 1; }
  std::size_t n_tokens() const { return n_tokens_; }

  std::string_view bytes_of(TokenId id) const {
    if (id >= n_ids()) return {};
    return {reinterpret_cast<const char*>(bytes_.data()) + offsets_[id],
            offsets_[id + 1] - offsets_[id]};
  }

  // False when no token hashes to h = detail::hash_bytes(p, n): a blocked Bloom filter (about
  // 10 bits a token, 256 KiB for o200k, so it stays in L2) that answers most pieces that are
  // not tokens without touching the table, which does not stay in cache.
  bool may_hold(std::uint64_t h) const { return filter_.may_hold(h); }

  // The id whose bytes are exactly [p, p + n), or kNoToken.
  TokenId find(const std::uint8_t* p, std::size_t n) const;
  // The same, given h = detail::hash_bytes(p, n).
  TokenId find(const std::uint8_t* p, std::size_t n, std::uint64_t h) const;

 private:
  // A slot carries the token's first eight bytes and its length, so that finding a token of
  // up to eight bytes (most of them) reads only the slot, not the offsets and the arena.
  struct Slot {
    std::uint64_t head = 0;
    TokenId id = kNoToken;
    std::uint32_t len = 0;
  };
  static std::uint64_t head_of(const std::uint8_t* p, std::size_t n) { return detail::head8(p, n); }
  std::vector<std::uint8_t> bytes_;
  std::vector<std::uint32_t> offsets_;
  detail::HugeArray<Slot> slots_;
  detail::BlockedBloom filter_;
  std::size_t mask_ = 0;
  std::size_t n_tokens_ = 0;
};

}  // namespace tokbench
