// Four threads look up and insert the same pieces in one SharedPieceCache at once; every hit
// must give back exactly the ids its piece was inserted with. Built with ThreadSanitizer by
// tests/test_shared_cache_threads.py, which fails on any race report or wrong hit.
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "shared_piece_cache.hpp"

using tokbench::SharedPieceCache;
using tokbench::TokenId;

namespace {
// The ids a piece is inserted with: a function of its bytes, one to three of them.
std::size_t ids_of(const std::string& k, std::uint64_t h, TokenId* ids) {
  ids[0] = static_cast<TokenId>(h & 0xFFFF);
  ids[1] = static_cast<TokenId>(k.size());
  ids[2] = static_cast<TokenId>(h >> 40);
  return k.size() % 3 + 1;
}
}  // namespace

int main() {
  SharedPieceCache cache;
  std::vector<std::string> keys;
  for (int i = 0; i < 20000; ++i) {
    // Short (inline) and long (arena) keys; each distinct key appears four times.
    keys.push_back("p" + std::to_string(i % 5000) + (i % 3 != 0 ? "-and-a-longer-tail" : ""));
  }
  std::atomic<long> hits{0}, wrong{0};
  const auto work = [&](unsigned t) {
    for (int round = 0; round < 3; ++round) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string& k = keys[(i * 7 + t * 13) % keys.size()];
        const auto* p = reinterpret_cast<const std::uint8_t*>(k.data());
        const std::uint64_t h = tokbench::detail::hash_bytes(p, k.size());
        TokenId ids[3];
        const std::size_t n = ids_of(k, h, ids);
        const auto hit = cache.find(p, k.size(), h);
        if (hit.ids == nullptr) {
          cache.insert(p, k.size(), h, ids, n);
          continue;
        }
        ++hits;
        bool same = hit.n == n;
        for (std::size_t j = 0; same && j < n; ++j) same = hit.ids[j] == ids[j];
        if (!same) ++wrong;
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t) threads.emplace_back(work, t);
  for (auto& th : threads) th.join();
  std::printf("hits %ld wrong %ld\n", hits.load(), wrong.load());
  return hits.load() > 0 && wrong.load() == 0 ? 0 : 1;
}
