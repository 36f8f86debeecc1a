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
#include "text_methods.hpp"
#include "text_views.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {

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

  py::class_<Encoding, std::shared_ptr<Encoding>> cls(
      m, "Encoding",
      "Pre-tokenizer + BPE model + added tokens. Thread-safe; methods release the GIL.");
  cls.def(py::init(&make_encoding), py::arg("model"), py::arg("scanner"), py::arg("always"),
           py::arg("prefix_space"), py::arg("extra_tokens"), py::arg("use_cache") = true)
      .def("fresh",
           [](const Encoding& e) {
             // Same tables, empty caches: what a new process sees on its first text.
             return std::make_shared<Encoding>(EncodingSpec(e.spec()));
           })
      .def_property_readonly("scanner", [](const Encoding& e) { return scanner_name(e.spec().scanner); })
      .def_property_readonly("model", [](const Encoding& e) { return e.spec().model; })
      .def("pieces", [](const Encoding& e, const py::str& text) {
        std::vector<py::object> keep;
        const std::string_view v = utf8_view(text, keep);
        py::gil_scoped_release nogil;
        return e.pieces(v);
      });
  def_text_methods(cls);
}

}  // namespace tokbench::bindings
