#include "literal_matcher.hpp"

#include <algorithm>
#include <cstring>

namespace tokbench {

LiteralMatcher::LiteralMatcher(const std::vector<std::pair<std::string, TokenId>>& literals) {
  for (const auto& [text, id] : literals) {
    if (text.empty()) continue;
    std::uint32_t node = 0;
    for (const char ch : text) {
      const auto b = static_cast<std::uint8_t>(ch);
      std::uint32_t next = child(node, b);
      if (next == 0) {
        next = static_cast<std::uint32_t>(nodes_.size());
        nodes_.emplace_back();
        auto& kids = nodes_[node].children;
        kids.insert(std::upper_bound(kids.begin(), kids.end(), std::make_pair(b, 0u)),
                    std::make_pair(b, next));
      }
      node = next;
    }
    nodes_[node].id = id;
    first_byte_[static_cast<std::uint8_t>(text[0])] = true;
  }
}

std::uint32_t LiteralMatcher::child(std::uint32_t node, std::uint8_t b) const {
  const auto& kids = nodes_[node].children;
  const auto it = std::lower_bound(kids.begin(), kids.end(), std::make_pair(b, 0u));
  return (it != kids.end() && it->first == b) ? it->second : 0;
}

LiteralMatcher::Match LiteralMatcher::find(const std::uint8_t* text, std::size_t n,
                                           std::size_t from) const {
  if (empty()) return {};
  for (std::size_t i = from; i < n; ++i) {
    if (!first_byte_[text[i]]) continue;
    std::uint32_t node = 0;
    Match best;
    for (std::size_t j = i; j < n; ++j) {
      node = child(node, text[j]);
      if (node == 0) break;
      if (nodes_[node].id != kNoToken) best = {i, j + 1, nodes_[node].id};
    }
    if (best.id != kNoToken) return best;
  }
  return {};
}

}  // namespace tokbench
