#include "encoding.hpp"

#include <algorithm>

#include "errors.hpp"
#include "pooled_encoder_impl.hpp"

namespace tokbench {

// Per-thread state for one call: merge buffers and a borrowed piece cache.
class Encoding::Worker {
 public:
  Worker(const Encoding& enc, SharedPieceCache* shared)
      : enc_(enc),
        model_(*enc.spec_.model),
        lease_(enc),
        cache_(enc.spec_.use_cache ? &(*lease_).cache : nullptr),
        shared_(enc.spec_.use_cache ? shared : nullptr),
        scratch_((*lease_).scratch) {}

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
    std::uint64_t h;
    if (n <= 8) {
      const std::uint64_t head = detail::head8(p, n);
      const PieceCache::Hit hit = cache_->find_short(head, n);
      if (hit.ids != nullptr) return out(hit.ids, hit.n);
      h = detail::hash_short(head, n);
    } else {
      h = detail::hash_bytes(p, n);
      const PieceCache::Hit hit = cache_->find(p, n, h);
      if (hit.ids != nullptr) return out(hit.ids, hit.n);
    }
    const TokenId t = model_.whole_piece(p, n, h);
    if (t != kNoToken) {
      cache_->insert(p, n, h, &t, 1);
      return out(&t, 1);
    }
    // Only merged pieces go to the shared cache: a whole-piece lookup costs about as much.
    if (shared_ != nullptr) {
      const PieceCache::Hit s = shared_->find(p, n, h);
      if (s.ids != nullptr) {
        cache_->insert(p, n, h, s.ids, s.n);
        return out(s.ids, s.n);
      }
    }
    const std::size_t k = model_.merge(p, n, scratch_);
    cache_->insert(p, n, h, scratch_.tok.data(), k);
    if (shared_ != nullptr) shared_->insert(p, n, h, scratch_.tok.data(), k);
    out(scratch_.tok.data(), k);
  }

  const Encoding& enc_;
  const BpeModel& model_;
  Lease lease_;
  PieceCache* cache_;
  SharedPieceCache* shared_;
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

Encoding::Worker Encoding::make_worker(SharedPieceCache* shared) const {
  return Worker(*this, shared);
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
  return concat_token_bytes(ids);
}

template class detail::PooledEncoder<Encoding, EncodingWorkerState>;

}  // namespace tokbench
