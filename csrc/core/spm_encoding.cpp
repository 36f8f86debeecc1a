#include "spm_encoding.hpp"

#include <algorithm>

#include "errors.hpp"
#include "pooled_encoder_impl.hpp"
#include "hash.hpp"

namespace tokbench {

namespace {
constexpr char kSpaceMark[] = "\xE2\x96\x81";  // '▁', U+2581

inline bool is_space_mark(const std::uint8_t* p, std::size_t i, std::size_t n) {
  return p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x96 && p[i + 2] == 0x81;
}

// The code point of the UTF-8 character that ends right before p[end] (begins at or after
// `floor`).
inline std::uint32_t char_before(const std::uint8_t* p, std::size_t floor, std::size_t end) {
  std::size_t k = end - 1;
  while (k > floor && end - k < 4 && (p[k] & 0xC0) == 0x80) --k;
  const std::size_t len = end - k;
  switch (len) {
    case 1:
      return p[k];
    case 2:
      return (p[k] & 0x1Fu) << 6 | (p[k + 1] & 0x3Fu);
    case 3:
      return (p[k] & 0x0Fu) << 12 | (p[k + 1] & 0x3Fu) << 6 | (p[k + 2] & 0x3Fu);
    default:
      return (p[k] & 0x07u) << 18 | (p[k + 1] & 0x3Fu) << 12 | (p[k + 2] & 0x3Fu) << 6 |
             (p[k + 3] & 0x3Fu);
  }
}
}  // namespace

class SpmEncoding::Worker {
 public:
  Worker(const SpmEncoding& enc, SharedPieceCache* shared)
      : enc_(enc),
        spec_(enc.spec_),
        model_(*enc.spec_.model),
        lease_(enc),
        cache_(spec_.use_cache ? &(*lease_).cache : nullptr),
        shared_(spec_.use_cache ? shared : nullptr),
        scratch_((*lease_).scratch),
        normalized_((*lease_).normalized) {}

  // The whole pipeline over one text, calling out(const TokenId*, size_t) per run of ids.
  // `specials` (may be null) are matched in the raw text; with literals_after_normalizing
  // they split the text first and each stretch is then normalized on its own (as if it were
  // a text of its own: a dummy prefix each), otherwise they replace the always-matched set.
  template <class Out>
  void run(std::string_view text, const LiteralMatcher* specials, Out&& out) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    if (spec_.literals_after_normalizing) {
      split_literals(p, text.size(), specials, out,
                     [&](const std::uint8_t* s, std::size_t n) { plain(s, n, out); });
      return;
    }
    const LiteralMatcher* m = specials != nullptr ? specials : spec_.always.get();
    split_literals(p, text.size(), m, out, [&](const std::uint8_t* s, std::size_t n) {
      enc_.normalize_into({reinterpret_cast<const char*>(s), n}, normalized_);
      chunks(reinterpret_cast<const std::uint8_t*>(normalized_.data()), normalized_.size(), out);
    });
  }

 private:
  // sentencepiece's order: normalize, then find user-defined symbols in the normalized text.
  template <class Out>
  void plain(const std::uint8_t* p, std::size_t n, Out& out) {
    enc_.normalize_into({reinterpret_cast<const char*>(p), n}, normalized_);
    const auto* q = reinterpret_cast<const std::uint8_t*>(normalized_.data());
    split_literals(q, normalized_.size(), spec_.always.get(), out,
                   [&](const std::uint8_t* s, std::size_t len) { chunks(s, len, out); });
  }

  template <class Out, class Stretch>
  static void split_literals(const std::uint8_t* p, std::size_t n, const LiteralMatcher* m,
                             Out& out, Stretch&& stretch) {
    if (m == nullptr || m->empty()) {
      if (n > 0) stretch(p, n);
      return;
    }
    std::size_t pos = 0;
    while (pos < n) {
      const LiteralMatcher::Match hit = m->find(p, n, pos);
      if (hit.id == kNoToken) break;
      if (hit.begin > pos) stretch(p + pos, hit.begin - pos);
      out(&hit.id, 1);
      pos = hit.end;
    }
    if (pos < n) stretch(p + pos, n - pos);
  }

  // Cuts normalized text before each '▁' that no merge can reach across (see spm_bpe.hpp).
  template <class Out>
  void chunks(const std::uint8_t* p, std::size_t n, Out& out) {
    std::size_t start = 0;
    for (std::size_t i = 1; i < n; ++i) {
      if (!is_space_mark(p, i, n)) continue;
      if (model_.cut_after(char_before(p, start, i))) {
        chunk(p + start, i - start, out);
        start = i;
      }
      i += 2;
    }
    if (n > start) chunk(p + start, n - start, out);
  }

  template <class Out>
  void chunk(const std::uint8_t* p, std::size_t n, Out& out) {
    if (cache_ == nullptr) {
      const std::size_t k = model_.encode_chunk(p, n, scratch_);
      return out(scratch_.out.data(), k);
    }
    const std::uint64_t h = detail::hash_bytes(p, n);
    const PieceCache::Hit hit = cache_->find(p, n, h);
    if (hit.ids != nullptr) return out(hit.ids, hit.n);
    if (shared_ != nullptr) {
      const PieceCache::Hit s = shared_->find(p, n, h);
      if (s.ids != nullptr) {
        cache_->insert(p, n, h, s.ids, s.n);
        return out(s.ids, s.n);
      }
    }
    const std::size_t k = model_.encode_chunk(p, n, scratch_);
    cache_->insert(p, n, h, scratch_.out.data(), k);
    if (shared_ != nullptr) shared_->insert(p, n, h, scratch_.out.data(), k);
    out(scratch_.out.data(), k);
  }

  const SpmEncoding& enc_;
  const SpmEncodingSpec& spec_;
  const SpmModel& model_;
  Lease lease_;
  PieceCache* cache_;
  SharedPieceCache* shared_;
  SpmScratch& scratch_;
  std::string& normalized_;
};

SpmEncoding::SpmEncoding(SpmEncodingSpec spec) : spec_(std::move(spec)) {
  if (!spec_.model) throw Error("an encoding needs a model");
  if (spec_.decode_offsets.empty() || spec_.decode_offsets.back() != spec_.decode_bytes.size()) {
    throw VocabError("decode offsets do not match the decode bytes");
  }
  for (std::size_t i = 0; i + 1 < spec_.decode_offsets.size(); ++i) {
    if (spec_.decode_offsets[i] > spec_.decode_offsets[i + 1]) {
      throw VocabError("decode offsets must not decrease");
    }
  }
  n_vocab_ = std::max(spec_.model->n_ids(), spec_.decode_offsets.size() - 1);
}

void SpmEncoding::normalize_into(std::string_view text, std::string& out) const {
  out.clear();
  std::size_t b = 0;
  std::size_t e = text.size();
  if (spec_.remove_extra_spaces) {
    while (b < e && text[b] == ' ') ++b;
    while (e > b && text[e - 1] == ' ') --e;
  }
  if (b == e) return;
  out.reserve((e - b) + (e - b) / 2 + 3);
  if (spec_.dummy_prefix) out.append(spec_.escape_spaces ? kSpaceMark : " ");
  for (std::size_t i = b; i < e; ++i) {
    const char c = text[i];
    if (c != ' ') {
      out.push_back(c);
      continue;
    }
    if (spec_.remove_extra_spaces && text[i - 1] == ' ') continue;  // i > b: text[b] != ' '
    if (spec_.escape_spaces) {
      out.append(kSpaceMark);
    } else {
      out.push_back(' ');
    }
  }
}

std::string SpmEncoding::normalize(std::string_view text) const {
  std::string out;
  normalize_into(text, out);
  return out;
}

SpmEncoding::Worker SpmEncoding::make_worker(SharedPieceCache* shared) const {
  return Worker(*this, shared);
}

bool SpmEncoding::token_bytes(TokenId id, std::string_view* out) const {
  if (std::size_t{id} + 1 >= spec_.decode_offsets.size()) return false;
  const std::uint32_t b = spec_.decode_offsets[id];
  const std::uint32_t e = spec_.decode_offsets[id + 1];
  *out = {reinterpret_cast<const char*>(spec_.decode_bytes.data()) + b, e - b};
  return e > b;
}

std::string SpmEncoding::decode_bytes(const std::vector<TokenId>& ids) const {
  std::string out = concat_token_bytes(ids);
  if (spec_.strip_leading_space && !out.empty() && out[0] == ' ') out.erase(0, 1);
  return out;
}

template class detail::PooledEncoder<SpmEncoding, SpmWorkerState>;

}  // namespace tokbench
