// What every encoding class does the same way around its own pipeline: lend per-thread state
// (caches, merge buffers) from a pool, and count or encode one text or many with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "literal_matcher.hpp"
#include "shared_piece_cache.hpp"
#include "vocab.hpp"

namespace tokbench::detail {

// The text methods are defined in pooled_encoder_impl.hpp and instantiated in Derived's .cpp,
// where its Worker is a complete type.
//
// Derived provides make_worker(shared), returning a Worker whose run(text, specials, out) calls
// out(const TokenId*, size_t) per run of ids (shared: the cache the threads of a batch call
// share, or nullptr); a Worker borrows a State with take_state() and
// gives it back with give_state(). The pool lets a call on a short text skip allocating (and
// clearing) its buffers.
template <class Derived, class State>
class PooledEncoder {
 public:
  PooledEncoder() = default;
  PooledEncoder(const PooledEncoder&) = delete;
  PooledEncoder& operator=(const PooledEncoder&) = delete;

  // Number of tokens; `specials` (may be null) adds literal tokens to match, as in encode().
  std::uint64_t count(std::string_view text, const LiteralMatcher* specials = nullptr) const;
  std::vector<TokenId> encode(std::string_view text, const LiteralMatcher* specials = nullptr) const;
  // Many texts, on up to `threads` threads (0 = one). Results do not depend on `threads`.
  void count_many(const std::vector<std::string_view>& texts, std::uint64_t* out,
                  unsigned threads, const LiteralMatcher* specials = nullptr) const;
  std::vector<std::vector<TokenId>> encode_many(const std::vector<std::string_view>& texts,
                                                unsigned threads,
                                                const LiteralMatcher* specials = nullptr) const;

 protected:
  ~PooledEncoder() = default;

  // The byte strings of the ids back to back (Derived::token_bytes); throws TokenIdError for
  // an id without one.
  std::string concat_token_bytes(const std::vector<TokenId>& ids) const;

  // A state borrowed from the pool for the lifetime of a worker, given back when it ends.
  class Lease {
   public:
    explicit Lease(const PooledEncoder& owner) : owner_(owner), state_(owner.take_state()) {}
    ~Lease() { owner_.give_state(std::move(state_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    State& operator*() const { return *state_; }

   private:
    const PooledEncoder& owner_;
    std::unique_ptr<State> state_;
  };

  // The cache shared by the threads of a batch call on `threads` threads (nullptr for one
  // thread): made on the first such call and kept, like the pooled states.
  SharedPieceCache* shared_cache(unsigned threads, std::size_t n_items) const {
    if (threads <= 1 || n_items <= 1) return nullptr;
    const std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!shared_) shared_ = std::make_unique<SharedPieceCache>();
    return shared_.get();
  }

  std::unique_ptr<State> take_state() const {
    {
      const std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!pool_.empty()) {
        auto state = std::move(pool_.back());
        pool_.pop_back();
        return state;
      }
    }
    return std::make_unique<State>();
  }

  void give_state(std::unique_ptr<State> state) const {
    const std::lock_guard<std::mutex> lock(pool_mutex_);
    pool_.push_back(std::move(state));
  }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<State>> pool_;
  mutable std::unique_ptr<SharedPieceCache> shared_;
};

}  // namespace tokbench::detail
