// Developer tool: times the BPE merge loop alone, outside Python, so that instruction and
// cache profiles (perf, valgrind) see only the core. Not built by default
// (cmake -DTOKBENCH_TOOLS=ON). Inputs are written by scripts/dump_merge_bench_inputs.py:
//   merge_bench VOCAB_BYTES VOCAB_OFFSETS PIECES [REPEATS]
// VOCAB_* are the raw token bytes and uint32 offsets of a tiktoken-ranked vocabulary;
// PIECES holds pieces as uint32 length + bytes.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/bpe.hpp"

namespace {
std::vector<std::uint8_t> read_all(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: merge_bench VOCAB_BYTES VOCAB_OFFSETS PIECES [REPEATS]\n");
    return 2;
  }
  auto bytes = read_all(argv[1]);
  const auto raw_offsets = read_all(argv[2]);
  std::vector<std::uint32_t> offsets(raw_offsets.size() / 4);
  std::memcpy(offsets.data(), raw_offsets.data(), offsets.size() * 4);
  const auto pieces_raw = read_all(argv[3]);
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  for (std::size_t i = 0; i + 4 <= pieces_raw.size();) {
    std::uint32_t n;
    std::memcpy(&n, &pieces_raw[i], 4);
    pieces.emplace_back(i + 4, n);
    i += 4 + n;
  }
  const int repeats = argc > 4 ? std::atoi(argv[4]) : 5;
  auto t0 = std::chrono::steady_clock::now();
  tokbench::BpeModel model(tokbench::Vocab(std::move(bytes), std::move(offsets)),
                           tokbench::BpeModel::Ranking::kTiktoken, {}, true);
  auto t1 = std::chrono::steady_clock::now();
  std::printf("load %.1f ms\n", std::chrono::duration<double, std::milli>(t1 - t0).count());
  // MERGE_BENCH_FRESH=1: a new scratch (empty pair memo) for every repeat, as a fresh
  // Encoding would have; otherwise the memo stays warm across repeats.
  const bool fresh = std::getenv("MERGE_BENCH_FRESH") != nullptr;
  tokbench::MergeScratch scratch;
  std::size_t total_bytes = 0, total_tokens = 0;
  for (const auto& [off, n] : pieces) total_bytes += n;
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    total_tokens = 0;
    if (fresh) scratch = tokbench::MergeScratch{};
    auto a = std::chrono::steady_clock::now();
    for (const auto& [off, n] : pieces) total_tokens += model.merge(&pieces_raw[off], n, scratch);
    auto b = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(b - a).count());
  }
  std::printf("%zu pieces, %zu bytes, %zu tokens, %zu merges: best %.1f ns/byte, %.1f ns/merge\n",
              pieces.size(), total_bytes, total_tokens, total_bytes - total_tokens,
              best / static_cast<double>(total_bytes),
              best / static_cast<double>(total_bytes - total_tokens));
  return 0;
}
