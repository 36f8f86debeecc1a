// Encoding: count, encode and decode, one text or many. Every call converts its Python inputs
// first, then releases the GIL for the native work.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../core/encoding.hpp"
#include "../core/errors.hpp"
#include "register.hpp"
#include "text_views.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {

using Matcher = std::shared_ptr<LiteralMatcher>;

unsigned resolve_threads(const py::object& num_threads) {
  if (num_threads.is_none()) return std::max(1u, std::thread::hardware_concurrency());
  if (!PyLong_Check(num_threads.ptr()) || PyBool_Check(num_threads.ptr())) {
    throw py::type_error("num_threads must be an int or None");
  }
  const long n = num_threads.cast<long>();
  if (n < 1) throw py::value_error("num_threads must be at least 1, or None for all cores");
  return static_cast<unsigned>(n);
}

py::list to_list(const std::vector<TokenId>& ids) {
  py::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromUnsignedLong(ids[i]));
  }
  return out;
}

std::shared_ptr<Encoding> make_encoding(std::shared_ptr<const BpeModel> model,
                                        const std::string& scanner, Matcher always,
                                        bool prefix_space,
                                        const std::vector<std::pair<TokenId, py::bytes>>& extra,
                                        bool use_cache) {
  EncodingSpec spec;
  spec.model = std::move(model);
  spec.scanner = scanner_from_name(scanner);
  spec.always = std::move(always);
  spec.prefix_space = prefix_space;
  spec.use_cache = use_cache;
  for (const auto& [id, bytes] : extra) spec.extra_tokens.emplace_back(id, std::string(bytes));
  return std::make_shared<Encoding>(std::move(spec));
}

}  // namespace

void register_encoding(py::module_& m) {
  m.attr("UNICODE_VERSION") = unicode_version();
  m.def(
      "char_classes",
      []() {
        // One byte per code point (0..0x10FFFF): the scanners' class id (see CharClass).
        std::string out(0x110000, '\0');
        for (std::uint32_t cp = 0; cp < 0x110000; ++cp) out[cp] = static_cast<char>(char_class(cp));
        return py::bytes(out);
      },
      "Class id of every code point as the scanners see it: 0 other, 1 Lu, 2 Ll, 3 Lt, 4 Lm, "
      "5 Lo, 6 M, 7 N, 8 P, 9 S, 10 White_Space (not CR/LF), 11 CR, 12 LF.");

  py::class_<Encoding, std::shared_ptr<Encoding>>(
      m, "Encoding",
      "Pre-tokenizer + BPE model + added tokens. Thread-safe; methods release the GIL.")
      .def(py::init(&make_encoding), py::arg("model"), py::arg("scanner"), py::arg("always"),
           py::arg("prefix_space"), py::arg("extra_tokens"), py::arg("use_cache") = true)
      .def("fresh",
           [](const Encoding& e) {
             // Same tables, empty caches: what a new process sees on its first text.
             return std::make_shared<Encoding>(EncodingSpec(e.spec()));
           })
      .def_property_readonly("n_vocab", &Encoding::n_vocab)
      .def_property_readonly("scanner", [](const Encoding& e) { return scanner_name(e.spec().scanner); })
      .def_property_readonly("model", [](const Encoding& e) { return e.spec().model; })
      .def(
          "count",
          [](const Encoding& e, const py::str& text, const Matcher& specials) {
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            py::gil_scoped_release nogil;
            return e.count(v, specials.get());
          },
          py::arg("text"), py::arg("specials") = nullptr)
      .def(
          "encode",
          [](const Encoding& e, const py::str& text, const Matcher& specials) {
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            std::vector<TokenId> ids;
            {
              py::gil_scoped_release nogil;
              ids = e.encode(v, specials.get());
            }
            return to_list(ids);
          },
          py::arg("text"), py::arg("specials") = nullptr)
      .def(
          "encode_to_numpy",
          [](const Encoding& e, const py::str& text, const Matcher& specials) {
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            auto ids = std::make_unique<std::vector<TokenId>>();
            {
              py::gil_scoped_release nogil;
              *ids = e.encode(v, specials.get());
            }
            // Hand the buffer to numpy without a copy; the capsule frees it.
            auto* raw = ids.release();
            py::capsule owner(raw, [](void* p) { delete static_cast<std::vector<TokenId>*>(p); });
            return py::array_t<TokenId>(static_cast<py::ssize_t>(raw->size()), raw->data(), owner);
          },
          py::arg("text"), py::arg("specials") = nullptr)
      .def(
          "count_batch",
          [](const Encoding& e, const py::handle& texts, const py::object& num_threads,
             const Matcher& specials) {
            const unsigned threads = resolve_threads(num_threads);
            TextViews tv = utf8_views(texts);
            py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(tv.views.size()));
            std::uint64_t* dst = out.mutable_data();
            {
              py::gil_scoped_release nogil;
              e.count_many(tv.views, dst, threads, specials.get());
            }
            return out;
          },
          py::arg("texts"), py::arg("num_threads") = py::none(), py::arg("specials") = nullptr)
      .def(
          "encode_batch",
          [](const Encoding& e, const py::handle& texts, const py::object& num_threads,
             const Matcher& specials) {
            const unsigned threads = resolve_threads(num_threads);
            TextViews tv = utf8_views(texts);
            std::vector<std::vector<TokenId>> ids;
            {
              py::gil_scoped_release nogil;
              ids = e.encode_many(tv.views, threads, specials.get());
            }
            py::list out(ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i) {
              out[i] = to_list(ids[i]);
            }
            return out;
          },
          py::arg("texts"), py::arg("num_threads") = py::none(), py::arg("specials") = nullptr)
      .def("pieces",
           [](const Encoding& e, const py::str& text) {
             std::vector<py::object> keep;
             const std::string_view v = utf8_view(text, keep);
             py::gil_scoped_release nogil;
             return e.pieces(v);
           })
      .def("decode_bytes",
           [](const Encoding& e, const std::vector<std::int64_t>& tokens) {
             std::vector<TokenId> ids(tokens.size());
             for (std::size_t i = 0; i < tokens.size(); ++i) {
               if (tokens[i] < 0 || tokens[i] >= static_cast<std::int64_t>(kNoToken)) {
                 throw TokenIdError("token id " + std::to_string(tokens[i]) +
                                    " is not in the vocabulary (n_vocab " +
                                    std::to_string(e.n_vocab()) + ")");
               }
               ids[i] = static_cast<TokenId>(tokens[i]);
             }
             std::string out;
             {
               py::gil_scoped_release nogil;
               out = e.decode_bytes(ids);
             }
             return py::bytes(out);
           })
      .def("token_bytes", [](const Encoding& e, TokenId id) -> py::object {
        std::string_view b;
        if (!e.token_bytes(id, &b)) return py::none();
        return py::bytes(b.data(), b.size());
      });
}

}  // namespace tokbench::bindings
