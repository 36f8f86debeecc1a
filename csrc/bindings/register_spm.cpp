// SpmModel and SpmEncoding: SentencePiece-style BPE (see csrc/core/spm_bpe.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/spm_encoding.hpp"
#include "register.hpp"
#include "text_methods.hpp"
#include "text_views.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {
using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using F32Array = py::array_t<float, py::array::c_style | py::array::forcecast>;

template <class T, class A>
std::vector<T> to_vector(const A& a) {
  return {a.data(), a.data() + a.size()};
}

std::shared_ptr<SpmModel> make_model(const py::bytes& piece_bytes, const U32Array& piece_offsets,
                                     const std::string& ranking, const py::object& scores,
                                     const py::object& merges, const U32Array& byte_ids,
                                     const py::object& unk_id, bool fuse_unk,
                                     bool unknown_chars_merge, const py::object& whole) {
  SpmModelSpec spec;
  const std::string_view b = piece_bytes;
  spec.piece_bytes.assign(b.begin(), b.end());
  spec.piece_offsets = to_vector<std::uint32_t>(piece_offsets);
  if (ranking == "scores") {
    spec.ranking = SpmModelSpec::Ranking::kScores;
    if (scores.is_none()) throw py::value_error("ranking='scores' needs scores");
    spec.scores = to_vector<float>(scores.cast<F32Array>());
  } else if (ranking == "merges") {
    spec.ranking = SpmModelSpec::Ranking::kMergesList;
    if (merges.is_none()) throw py::value_error("ranking='merges' needs merges");
    spec.merges = to_vector<std::uint32_t>(merges.cast<U32Array>());
  } else {
    throw py::value_error("ranking must be 'scores' or 'merges', not '" + ranking + "'");
  }
  if (byte_ids.size() != 0 && byte_ids.size() != 256) {
    throw py::value_error("byte_ids must hold 256 ids (or none, for no byte fallback)");
  }
  spec.byte_fallback = byte_ids.size() == 256;
  spec.byte_ids.fill(kNoToken);
  for (py::ssize_t i = 0; i < byte_ids.size(); ++i) spec.byte_ids[i] = byte_ids.data()[i];
  spec.unk_id = unk_id.is_none() ? kNoToken : unk_id.cast<TokenId>();
  spec.fuse_unk = fuse_unk;
  spec.unknown_chars_merge = unknown_chars_merge;
  if (!whole.is_none()) {
    using U8Array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
    spec.whole = to_vector<std::uint8_t>(whole.cast<U8Array>());
  }
  // Building the pair table is pure C++: let other threads run.
  py::gil_scoped_release nogil;
  return std::make_shared<SpmModel>(std::move(spec));
}

std::shared_ptr<SpmEncoding> make_encoding(std::shared_ptr<const SpmModel> model, Matcher always,
                                           bool literals_after_normalizing, bool dummy_prefix,
                                           bool escape_spaces, bool remove_extra_spaces,
                                           const py::bytes& decode_bytes,
                                           const U32Array& decode_offsets,
                                           bool strip_leading_space, bool use_cache) {
  SpmEncodingSpec spec;
  spec.model = std::move(model);
  spec.always = std::move(always);
  spec.literals_after_normalizing = literals_after_normalizing;
  spec.dummy_prefix = dummy_prefix;
  spec.escape_spaces = escape_spaces;
  spec.remove_extra_spaces = remove_extra_spaces;
  const std::string_view d = decode_bytes;
  spec.decode_bytes.assign(d.begin(), d.end());
  spec.decode_offsets = to_vector<std::uint32_t>(decode_offsets);
  spec.strip_leading_space = strip_leading_space;
  spec.use_cache = use_cache;
  return std::make_shared<SpmEncoding>(std::move(spec));
}
}  // namespace

void register_spm(py::module_& m) {
  py::class_<SpmModel, std::shared_ptr<SpmModel>>(
      m, "SpmModel",
      "Immutable SentencePiece-style BPE tables (pieces, pair priorities, byte fallback).")
      .def(py::init(&make_model), py::arg("piece_bytes"), py::arg("piece_offsets"),
           py::arg("ranking"), py::arg("scores"), py::arg("merges"), py::arg("byte_ids"),
           py::arg("unk_id"), py::arg("fuse_unk"), py::arg("unknown_chars_merge"),
           py::arg("whole") = py::none(),
           "piece_bytes/piece_offsets: the text of each id ('▁' for spaces; an empty span for "
           "ids text never produces); ranking 'scores' (sentencepiece: a pair merges into the "
           "piece it spells, higher score first) with one float32 score per id, or 'merges' "
           "(Hugging Face: uint32 id pairs in priority order); byte_ids: the 256 <0xNN> ids "
           "(0xFFFFFFFF where missing; empty for no byte fallback); whole: whole_flags() as "
           "returned before for these tables (None: learn them while encoding).")
      .def_property_readonly("n_ids", &SpmModel::n_ids)
      .def_property_readonly("n_pairs", &SpmModel::n_pairs)
      .def("whole_flags",
           [](const SpmModel& s) {
             std::vector<std::uint8_t> flags;
             {
               py::gil_scoped_release nogil;
               flags = s.whole_flags();
             }
             py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(flags.size()));
             std::copy(flags.begin(), flags.end(), out.mutable_data());
             return out;
           })
      .def("find", [](const SpmModel& s, const py::bytes& piece) -> py::object {
        const std::string_view v = piece;
        const TokenId id =
            s.pieces().find(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
        if (id == kNoToken) return py::none();
        return py::int_(id);
      });

  py::class_<SpmEncoding, std::shared_ptr<SpmEncoding>> cls(
      m, "SpmEncoding",
      "Normalizer + literal tokens + SentencePiece-style BPE. Thread-safe; methods release the "
      "GIL.");
  cls.def(py::init(&make_encoding), py::arg("model"), py::arg("always"),
          py::arg("literals_after_normalizing"), py::arg("dummy_prefix"), py::arg("escape_spaces"),
          py::arg("remove_extra_spaces"), py::arg("decode_bytes"), py::arg("decode_offsets"),
          py::arg("strip_leading_space"), py::arg("use_cache") = true)
      .def("fresh",
           [](const SpmEncoding& e) {
             // Same tables, empty caches: what a new process sees on its first text.
             return std::make_shared<SpmEncoding>(SpmEncodingSpec(e.spec()));
           })
      .def_property_readonly("model", [](const SpmEncoding& e) { return e.spec().model; })
      .def("normalize", [](const SpmEncoding& e, const py::str& text) {
        std::vector<py::object> keep;
        const std::string_view v = utf8_view(text, keep);
        return py::str(e.normalize(v));
      });
  def_text_methods(cls);
}

}  // namespace tokbench::bindings
