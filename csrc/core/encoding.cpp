#include "encoding.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "errors.hpp"

namespace tokbench {

// Per-thread state for one call: merge buffers and a borrowed piece cache.
class Encoding::Worker {
 public:
  explicit Worker(const Encoding& enc)
      : enc_(enc),
        model_(*enc.spec_.model),
        state_(enc.take_state()),
        cache_(enc.spec_.use_cache ? &state_->cache : nullptr),
        scratch_(state_->scratch) {}
  ~Worker() { enc_.give_state(std::move(state_)); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs the whole pipeline over one text, calling out(const TokenId*, size_t) per run of ids.
  template <class Out>
  void run(std::string_view text, const LiteralMatcher* specials, Out&& out) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const std::size_t n = text.size();
    const LiteralMatcher* m = specials != nullptr ? specials : enc_.spec_.always.get();
    if (m == nullptr || m->empty()) return segment(p, n, out);
    std::size_t pos = 0;
    while (pos < n) {
      const LiteralMatcher::Match hit = m->find(p, n, pos);
      if (hit.id == kNoToken) break;
      segment(p + pos, hit.begin - pos, out);
      out(&hit.id, 1);
      pos = hit.end;
    }
    segment(p + pos, n - pos, out);
  }

 private:
  template <class Out>
  void segment(const std::uint8_t* p, std::size_t n, Out& out) {
    if (n == 0) return;
    if (enc_.spec_.prefix_space && p[0] != ' ') {
      prefixed_.assign(1, ' ');
      prefixed_.append(reinterpret_cast<const char*>(p), n);
      p = reinterpret_cast<const std::uint8_t*>(prefixed_.data());
      n = prefixed_.size();
    }
    pretokenize(enc_.spec_.scanner, p, p + n,
                [&](const std::uint8_t* s, std::size_t len) { piece(s, len, out); });
  }

  template <class Out>
  void piece(const std::uint8_t* p, std::size_t n, Out& out) {
    if (n == 1) {
      const TokenId t = model_.byte_token(p[0]);
      if (t != kNoToken) return out(&t, 1);
    }
    if (!cache_) {
      const TokenId t = model_.whole_piece(p, n);
      if (t != kNoToken) return out(&t, 1);
      const std::size_t k = model_.merge(p, n, scratch_);
      return out(scratch_.tok.data(), k);
    }
    // The per-thread cache first (small, hot), also for pieces that are one token: most
    // pieces are words the text has used before.
    const std::uint64_t h = detail::hash_bytes(p, n);
    const PieceCache::Hit hit = cache_->find(p, n, h);
    if (hit.ids != nullptr) return out(hit.ids, hit.n);
    const TokenId t = model_.whole_piece(p, n, h);
    if (t != kNoToken) {
      cache_->insert(p, n, h, &t, 1);
      return out(&t, 1);
    }
    const std::size_t k = model_.merge(p, n, scratch_);
    cache_->insert(p, n, h, scratch_.tok.data(), k);
    out(scratch_.tok.data(), k);
  }

  const Encoding& enc_;
  const BpeModel& model_;
  std::unique_ptr<WorkerState> state_;
  PieceCache* cache_;
  MergeScratch& scratch_;
  std::string prefixed_;
};

Encoding::Encoding(EncodingSpec spec) : spec_(std::move(spec)) {
  if (!spec_.model) throw Error("an encoding needs a BPE model");
  n_vocab_ = spec_.model->vocab().n_ids();
  for (auto& [id, bytes] : spec_.extra_tokens) {
    // An id given twice (o200k_harmony names 200018 both <|endofprompt|> and
    // <|reserved_200018|>) decodes to its first name, as tiktoken and Hugging Face do.
    extra_.emplace(id, bytes);
    n_vocab_ = std::max<std::size_t>(n_vocab_, std::size_t{id} + 1);
  }
}

std::unique_ptr<Encoding::WorkerState> Encoding::take_state() const {
  {
    const std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto state = std::move(pool_.back());
      pool_.pop_back();
      return state;
    }
  }
  return std::make_unique<WorkerState>();
}

void Encoding::give_state(std::unique_ptr<WorkerState> state) const {
  const std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(state));
}

std::uint64_t Encoding::count(std::string_view text, const LiteralMatcher* specials) const {
  Worker w(*this);
  std::uint64_t total = 0;
  w.run(text, specials, [&](const TokenId*, std::size_t k) { total += k; });
  return total;
}

std::vector<TokenId> Encoding::encode(std::string_view text, const LiteralMatcher* specials) const {
  Worker w(*this);
  std::vector<TokenId> ids;
  ids.reserve(text.size() / 3 + 4);
  w.run(text, specials, [&](const TokenId* t, std::size_t k) { ids.insert(ids.end(), t, t + k); });
  return ids;
}

// Runs job(worker, index) for every index, spreading indices over threads in small chunks
// handed out by an atomic counter (documents vary in length, so static splits would idle).
template <class Job>
void Encoding::parallel(std::size_t n_items, unsigned threads, Job&& job) const {
  const unsigned n_threads =
      static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), std::max<std::size_t>(n_items, 1)));
  if (n_threads <= 1) {
    Worker w(*this);
    for (std::size_t i = 0; i < n_items; ++i) job(w, i);
    return;
  }
  constexpr std::size_t kChunk = 8;
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(n_threads);
  const auto body = [&](unsigned t) {
    try {
      Worker w(*this);
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

void Encoding::count_many(const std::vector<std::string_view>& texts, std::uint64_t* out,
                          unsigned threads, const LiteralMatcher* specials) const {
  parallel(texts.size(), threads, [&](Worker& w, std::size_t i) {
    std::uint64_t total = 0;
    w.run(texts[i], specials, [&](const TokenId*, std::size_t k) { total += k; });
    out[i] = total;
  });
}

std::vector<std::vector<TokenId>> Encoding::encode_many(const std::vector<std::string_view>& texts,
                                                        unsigned threads,
                                                        const LiteralMatcher* specials) const {
  std::vector<std::vector<TokenId>> result(texts.size());
  parallel(texts.size(), threads, [&](Worker& w, std::size_t i) {
    auto& ids = result[i];
    w.run(texts[i], specials,
          [&](const TokenId* t, std::size_t k) { ids.insert(ids.end(), t, t + k); });
  });
  return result;
}

std::vector<std::pair<std::size_t, std::size_t>> Encoding::pieces(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const auto* base = reinterpret_cast<const std::uint8_t*>(text.data());
  pretokenize(spec_.scanner, base, base + text.size(),
              [&](const std::uint8_t* s, std::size_t len) {
                out.emplace_back(static_cast<std::size_t>(s - base), len);
              });
  return out;
}

bool Encoding::token_bytes(TokenId id, std::string_view* out) const {
  const auto it = extra_.find(id);
  if (it != extra_.end()) {
    *out = it->second;
    return true;
  }
  *out = spec_.model->vocab().bytes_of(id);
  return !out->empty();
}

std::string Encoding::decode_bytes(const std::vector<TokenId>& ids) const {
  std::string out;
  for (const TokenId id : ids) {
    std::string_view b;
    if (!token_bytes(id, &b)) {
      throw TokenIdError("token id " + std::to_string(id) + " is not in the vocabulary (n_vocab " +
                         std::to_string(n_vocab_) + ")");
    }
    out.append(b);
  }
  return out;
}

}  // namespace tokbench
