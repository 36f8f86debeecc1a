// Definitions of PooledEncoder's text methods: included only by the .cpp of each encoding
// class, which instantiates them (explicitly) where its Worker is complete.
#pragma once

#include "errors.hpp"
#include "parallel.hpp"
#include "pooled_encoder.hpp"
#include "script_order.hpp"

namespace tokbench::detail {

template <class Derived, class State>
std::uint64_t PooledEncoder<Derived, State>::count(std::string_view text,
                                                 const LiteralMatcher* specials) const {
  auto w = self().make_worker(nullptr);
  std::uint64_t total = 0;
  w.run(text, specials, [&](const TokenId*, std::size_t k) { total += k; });
  return total;
}

template <class Derived, class State>
std::vector<TokenId> PooledEncoder<Derived, State>::encode(std::string_view text,
                                                        const LiteralMatcher* specials) const {
  auto w = self().make_worker(nullptr);
  std::vector<TokenId> ids;
  ids.reserve(text.size() / 3 + 4);
  w.run(text, specials,
        [&](const TokenId* t, std::size_t k) { ids.insert(ids.end(), t, t + k); });
  return ids;
}

template <class Derived, class State>
void PooledEncoder<Derived, State>::count_many(const std::vector<std::string_view>& texts,
                                             std::uint64_t* out, unsigned threads,
                                             const LiteralMatcher* specials) const {
  SharedPieceCache* shared = shared_cache(threads, texts.size());
  const std::vector<std::uint32_t> order = script_order(texts);
  parallel_for(
      texts.size(), threads, [this, shared] { return self().make_worker(shared); },
      [&](auto& w, std::size_t nth) {
        const std::size_t i = order.empty() ? nth : order[nth];
        std::uint64_t total = 0;
        w.run(texts[i], specials, [&](const TokenId*, std::size_t k) { total += k; });
        out[i] = total;
      });
}

template <class Derived, class State>
std::vector<std::vector<TokenId>> PooledEncoder<Derived, State>::encode_many(
  const std::vector<std::string_view>& texts, unsigned threads,
  const LiteralMatcher* specials) const {
  std::vector<std::vector<TokenId>> result(texts.size());
  SharedPieceCache* shared = shared_cache(threads, texts.size());
  const std::vector<std::uint32_t> order = script_order(texts);
  parallel_for(
      texts.size(), threads, [this, shared] { return self().make_worker(shared); },
      [&](auto& w, std::size_t nth) {
        const std::size_t i = order.empty() ? nth : order[nth];
        auto& ids = result[i];
        w.run(texts[i], specials,
              [&](const TokenId* t, std::size_t k) { ids.insert(ids.end(), t, t + k); });
      });
  return result;
}

template <class Derived, class State>
std::string PooledEncoder<Derived, State>::concat_token_bytes(
    const std::vector<TokenId>& ids) const {
  std::string out;
  for (const TokenId id : ids) {
    std::string_view b;
    if (!self().token_bytes(id, &b)) {
      throw TokenIdError("token id " + std::to_string(id) + " is not in the vocabulary (n_vocab " +
                         std::to_string(self().n_vocab()) + ")");
    }
    out.append(b);
  }
  return out;
}

}  // namespace tokbench::detail
