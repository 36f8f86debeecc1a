// BpeModel and LiteralMatcher: the immutable tables an Encoding is built from.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/bpe.hpp"
#include "../core/errors.hpp"
#include "../core/literal_matcher.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {
using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

std::vector<std::uint32_t> to_vector(const U32Array& a) {
  return {a.data(), a.data() + a.size()};
}

std::shared_ptr<BpeModel> make_model(const py::bytes& token_bytes, const U32Array& offsets,
                                     const U32Array& merges, const std::string& ranking,
                                     bool whole_piece_first, const py::object& splits) {
  BpeModel::Ranking r;
  if (ranking == "tiktoken") {
    r = BpeModel::Ranking::kTiktoken;
  } else if (ranking == "merges") {
    r = BpeModel::Ranking::kMergesList;
  } else {
    throw py::value_error("ranking must be 'tiktoken' or 'merges', not '" + ranking + "'");
  }
  const std::string_view b = token_bytes;
  std::vector<std::uint8_t> bytes(b.begin(), b.end());
  std::vector<std::uint32_t> offs = to_vector(offsets);
  std::vector<std::uint32_t> pairs = to_vector(merges);
  std::vector<std::uint32_t> split_table;
  if (!splits.is_none()) split_table = to_vector(splits.cast<U32Array>());
  const std::vector<std::uint32_t>* split_ptr = splits.is_none() ? nullptr : &split_table;
  // Building the pair table and checking the vocabulary is pure C++: let other threads run.
  py::gil_scoped_release nogil;
  return std::make_shared<BpeModel>(Vocab(std::move(bytes), std::move(offs)), r, pairs,
                                    whole_piece_first, split_ptr);
}
}  // namespace

void register_model(py::module_& m) {
  py::class_<BpeModel, std::shared_ptr<BpeModel>>(
      m, "BpeModel", "Immutable BPE vocabulary and merge table, shareable by many encodings.")
      .def(py::init(&make_model), py::arg("token_bytes"), py::arg("offsets"), py::arg("merges"),
           py::arg("ranking"), py::arg("whole_piece_first"), py::arg("splits") = py::none(),
           "token_bytes: every token's bytes back to back; offsets: n_ids + 1 uint32 positions "
           "(an empty span is an unused id); merges: uint32 pairs in priority order for "
           "ranking='merges' (empty for 'tiktoken'); whole_piece_first: a piece that is a token "
           "is that token (tiktoken, Hugging Face ignore_merges); splits: the table splits() "
           "returned for this vocabulary before (None to compute it).")
      .def_property_readonly("n_ids", [](const BpeModel& b) { return b.vocab().n_ids(); })
      .def_property_readonly("n_tokens", [](const BpeModel& b) { return b.vocab().n_tokens(); })
      .def_property_readonly("n_merges", &BpeModel::n_merges)
      .def_property_readonly("backtracking", &BpeModel::backtracking)
      .def("splits",
           [](const BpeModel& b) -> py::object {
             if (!b.ranked_like_tiktoken()) return py::none();
             std::vector<TokenId> t = b.splits();  // empty: the backtracker does not apply
             py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(t.size()));
             std::memcpy(out.mutable_data(), t.data(), t.size() * sizeof(TokenId));
             return std::move(out);
           })
      .def("token_bytes",
           [](const BpeModel& b, TokenId id) -> py::object {
             const std::string_view s = b.vocab().bytes_of(id);
             if (s.empty()) return py::none();
             return py::bytes(s.data(), s.size());
           })
      .def("find", [](const BpeModel& b, const py::bytes& piece) -> py::object {
        const std::string_view s = piece;
        const TokenId id = b.vocab().find(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
        if (id == kNoToken) return py::none();
        return py::int_(id);
      });

  py::class_<LiteralMatcher, std::shared_ptr<LiteralMatcher>>(
      m, "LiteralMatcher", "A set of literal tokens (special or added) to find in text.")
      .def(py::init([](const std::vector<std::pair<py::bytes, TokenId>>& literals) {
             std::vector<std::pair<std::string, TokenId>> items;
             items.reserve(literals.size());
             for (const auto& [text, id] : literals) items.emplace_back(std::string(text), id);
             return std::make_shared<LiteralMatcher>(items);
           }),
           py::arg("literals"))
      .def_property_readonly("empty", &LiteralMatcher::empty);
}

}  // namespace tokbench::bindings
