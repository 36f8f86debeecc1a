// A blocked Bloom filter over 64-bit hashes: a key sets three bits of one 64-byte block, so a
// query reads one cache line. It stands in front of tables too big to stay in cache (the pair
// table, the vocabulary), where most queries are for keys that are not there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hash.hpp"

namespace tokbench::detail {

class BlockedBloom {
 public:
  // Holds every key (each query says "may hold") until built for real.
  BlockedBloom() : words_(8, ~std::uint64_t{0}) {}
  // Empty, sized for about `bits_per_key` bits per key (9-10 give ~4% false positives).
  BlockedBloom(std::size_t n_keys, std::size_t bits_per_key) {
    const std::size_t blocks = next_pow2(n_keys * bits_per_key / 512 + 1);
    words_.assign(blocks * 8, 0);
    mask_ = blocks - 1;
  }

  void add(std::uint64_t h) {
    std::uint64_t* block = &words_[block_of(h)];
    for (unsigned k = 0; k < 3; ++k) {
      const unsigned bit = bit_of(h, k);
      block[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
  }
  bool may_hold(std::uint64_t h) const {
    const std::uint64_t* block = &words_[block_of(h)];
    for (unsigned k = 0; k < 3; ++k) {
      const unsigned bit = bit_of(h, k);
      if (((block[bit >> 6] >> (bit & 63)) & 1) == 0) return false;
    }
    return true;
  }
  void prefetch(std::uint64_t h) const { __builtin_prefetch(&words_[block_of(h)]); }

 private:
  // The block from bits 40 and up, the three bits from bits 20-37: apart from the low bits
  // the tables behind the filter take their slot from.
  std::size_t block_of(std::uint64_t h) const { return ((h >> 40) & mask_) * 8; }
  static unsigned bit_of(std::uint64_t h, unsigned k) {
    return static_cast<unsigned>(h >> (20 + 6 * k)) & 511;
  }
  std::vector<std::uint64_t> words_;
  std::size_t mask_ = 0;
};

}  // namespace tokbench::detail
