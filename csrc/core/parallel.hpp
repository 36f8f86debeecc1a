// A parallel loop over the texts of one batch call, shared by the encodings.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace tokbench::detail {

// Runs job(worker, index) for every index on up to `threads` threads, each with its own
// worker from make_worker(). Indices are handed out in small chunks by an atomic counter
// (documents vary in length, so static splits would idle). The first exception stops the
// others early and is rethrown here.
template <class MakeWorker, class Job>
void parallel_for(std::size_t n_items, unsigned threads, MakeWorker&& make_worker, Job&& job) {
  const unsigned n_threads = static_cast<unsigned>(
      std::min<std::size_t>(std::max(threads, 1u), std::max<std::size_t>(n_items, 1)));
  if (n_threads <= 1) {
    auto w = make_worker();
    for (std::size_t i = 0; i < n_items; ++i) job(w, i);
    return;
  }
  constexpr std::size_t kChunk = 8;
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(n_threads);
  const auto body = [&](unsigned t) {
    try {
      auto w = make_worker();
      for (;;) {
        const std::size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
        if (begin >= n_items) break;
        const std::size_t stop = std::min(begin + kChunk, n_items);
        for (std::size_t i = begin; i < stop; ++i) job(w, i);
      }
    } catch (...) {
      errors[t] = std::current_exception();
      next.store(n_items, std::memory_order_relaxed);  // stop the others early
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(n_threads - 1);
  for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace tokbench::detail
