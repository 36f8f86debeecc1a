// Hashing for short byte strings and 64-bit keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tokbench::detail {

inline std::uint64_t mix64(std::uint64_t x) {
  // The splitmix64 finaliser: every input bit reaches every output bit.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Hash of a byte string. Pieces are short (a few bytes to a few dozen), so this reads eight
// bytes at a time and mixes once at the end rather than after every word.
inline std::uint64_t hash_bytes(const std::uint8_t* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    h = (h ^ load64(p)) * 0x100000001b3ULL;
    h = (h << 29) | (h >> 35);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0x100000001b3ULL;
  }
  return mix64(h);
}

inline std::size_t next_pow2(std::size_t n) {
  std::size_t c = 1;
  while (c < n) c <<= 1;
  return c;
}

}  // namespace tokbench::detail
