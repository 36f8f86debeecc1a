#include "vocab.hpp"

#include <cstring>
#include <string>

#include "errors.hpp"
#include "hash.hpp"

namespace tokbench {

Vocab::Vocab(std::vector<std::uint8_t> bytes, std::vector<std::uint32_t> offsets)
    : bytes_(std::move(bytes)), offsets_(std::move(offsets)) {
  if (offsets_.empty()) throw VocabError("vocabulary offsets must hold at least one entry");
  if (offsets_.front() != 0 || offsets_.back() != bytes_.size()) {
    throw VocabError("vocabulary offsets do not cover the token bytes exactly");
  }
  for (std::size_t i = 0; i + 1 < offsets_.size(); ++i) {
    if (offsets_[i] > offsets_[i + 1]) throw VocabError("vocabulary offsets are not sorted");
    if (offsets_[i] != offsets_[i + 1]) ++n_tokens_;
  }
  if (offsets_.size() - 1 >= kNoToken) throw VocabError("too many token ids");
  const std::size_t cap = detail::next_pow2(n_tokens_ * 2 + 16);
  slots_ = detail::HugeArray<Slot>(cap, Slot{});
  mask_ = cap - 1;
  filter_ = detail::BlockedBloom(n_tokens_, 10);
  for (TokenId id = 0; id < n_ids(); ++id) {
    const std::string_view b = bytes_of(id);
    if (b.empty()) continue;
    const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
    const std::uint64_t h = detail::hash_bytes(p, b.size());
    filter_.add(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.id == kNoToken) {
        s = Slot{head_of(p, b.size()), id, static_cast<std::uint32_t>(b.size())};
        break;
      }
      if (s.len == b.size() && bytes_of(s.id) == b) {
        throw VocabError("the same byte string is given to token ids " + std::to_string(s.id) +
                         " and " + std::to_string(id));
      }
    }
  }
}

TokenId Vocab::find(const std::uint8_t* p, std::size_t n) const {
  return find(p, n, detail::hash_bytes(p, n));
}

TokenId Vocab::find(const std::uint8_t* p, std::size_t n, std::uint64_t h) const {
  const std::uint64_t head = head_of(p, n);
  for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id == kNoToken) return kNoToken;
    if (s.len == n && s.head == head &&
        (n <= 8 || detail::same_tail(bytes_.data() + offsets_[s.id], p, n))) {
      return s.id;
    }
  }
}

}  // namespace tokbench
