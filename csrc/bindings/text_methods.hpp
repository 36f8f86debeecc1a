// The text methods every native encoding class exposes (count, encode, batches, decode),
// written once for any class with Encoding's C++ interface. Each converts its Python inputs
// first, then releases the GIL for the native work.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../core/errors.hpp"
#include "../core/literal_matcher.hpp"
#include "byte_spans.hpp"
#include "text_views.hpp"

namespace tokbench::bindings {

using Matcher = std::shared_ptr<LiteralMatcher>;

inline unsigned resolve_threads(const pybind11::object& num_threads) {
  if (num_threads.is_none()) return std::max(1u, std::thread::hardware_concurrency());
  if (!PyLong_Check(num_threads.ptr()) || PyBool_Check(num_threads.ptr())) {
    throw pybind11::type_error("num_threads must be an int or None");
  }
  const long n = num_threads.cast<long>();
  if (n < 1) throw pybind11::value_error("num_threads must be at least 1, or None for all cores");
  return static_cast<unsigned>(n);
}

// The `specials` argument: None or a LiteralMatcher. It is taken as a plain object because
// pybind11's caster for a shared_ptr argument first probes None for a cross-module attribute
// (an AttributeError raised and cleared on every call): about half of what a call on a short
// text cost (core.count("") took 1.1 us). Call it before releasing the GIL.
inline const LiteralMatcher* matcher_of(const pybind11::object& specials) {
  if (specials.is_none()) return nullptr;
  if (!pybind11::isinstance<LiteralMatcher>(specials)) {
    throw pybind11::type_error("specials must be a LiteralMatcher or None");
  }
  return specials.cast<const LiteralMatcher*>();
}

inline pybind11::list to_list(const std::vector<TokenId>& ids) {
  pybind11::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromUnsignedLong(ids[i]));
  }
  return out;
}

template <class E>
void def_text_methods(pybind11::class_<E, std::shared_ptr<E>>& cls) {
  namespace py = pybind11;
  cls.def_property_readonly("n_vocab", &E::n_vocab)
      .def(
          "count",
          [](const E& e, const py::str& text, const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            py::gil_scoped_release nogil;
            return e.count(v, m);
          },
          py::arg("text"), py::arg("specials") = py::none())
      .def(
          "encode",
          [](const E& e, const py::str& text, const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            std::vector<TokenId> ids;
            {
              py::gil_scoped_release nogil;
              ids = e.encode(v, m);
            }
            return to_list(ids);
          },
          py::arg("text"), py::arg("specials") = py::none())
      .def(
          "encode_to_numpy",
          [](const E& e, const py::str& text, const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            std::vector<py::object> keep;
            const std::string_view v = utf8_view(text, keep);
            auto ids = std::make_unique<std::vector<TokenId>>();
            {
              py::gil_scoped_release nogil;
              *ids = e.encode(v, m);
            }
            // Hand the buffer to numpy without a copy; the capsule frees it.
            auto* raw = ids.release();
            py::capsule owner(raw, [](void* p) { delete static_cast<std::vector<TokenId>*>(p); });
            return py::array_t<TokenId>(static_cast<py::ssize_t>(raw->size()), raw->data(), owner);
          },
          py::arg("text"), py::arg("specials") = py::none())
      .def(
          "count_batch",
          [](const E& e, const py::handle& texts, const py::object& num_threads,
             const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            const unsigned threads = resolve_threads(num_threads);
            TextViews tv = utf8_views(texts);
            py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(tv.views.size()));
            std::uint64_t* dst = out.mutable_data();
            {
              py::gil_scoped_release nogil;
              e.count_many(tv.views, dst, threads, m);
            }
            return out;
          },
          py::arg("texts"), py::arg("num_threads") = py::none(),
          py::arg("specials") = py::none())
      .def(
          "count_spans",
          [](const E& e, const py::handle& data, const I64Array& starts, const I64Array& lengths,
             const py::object& num_threads, const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            // count_batch over byte ranges of one UTF-8 buffer (the lines of a block read from
            // a file): no str objects, no UTF-8 conversion. The buffer stays held (and its
            // owner alive) until the count returns.
            const unsigned threads = resolve_threads(num_threads);
            const ByteBuffer buf(data);
            const std::vector<std::string_view> views = span_views(buf.bytes(), starts, lengths);
            py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(views.size()));
            std::uint64_t* dst = out.mutable_data();
            {
              py::gil_scoped_release nogil;
              e.count_many(views, dst, threads, m);
            }
            return out;
          },
          py::arg("data"), py::arg("starts"), py::arg("lengths"),
          py::arg("num_threads") = py::none(), py::arg("specials") = py::none(),
          "Token counts of data[starts[i] : starts[i] + lengths[i]] (bytes-like, valid UTF-8: "
          "see line_spans; other bytes count as one character each), as count_batch gives for "
          "their decoded text.")
      .def(
          "encode_batch",
          [](const E& e, const py::handle& texts, const py::object& num_threads,
             const py::object& specials) {
            const LiteralMatcher* m = matcher_of(specials);  // with the GIL held
            const unsigned threads = resolve_threads(num_threads);
            TextViews tv = utf8_views(texts);
            std::vector<std::vector<TokenId>> ids;
            {
              py::gil_scoped_release nogil;
              ids = e.encode_many(tv.views, threads, m);
            }
            py::list out(ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i) {
              out[i] = to_list(ids[i]);
            }
            return out;
          },
          py::arg("texts"), py::arg("num_threads") = py::none(),
          py::arg("specials") = py::none())
      .def("decode_bytes",
           [](const E& e, const std::vector<std::int64_t>& tokens) {
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
      .def("token_bytes", [](const E& e, TokenId id) -> py::object {
        std::string_view b;
        if (!e.token_bytes(id, &b)) return py::none();
        return py::bytes(b.data(), b.size());
      });
}

}  // namespace tokbench::bindings
