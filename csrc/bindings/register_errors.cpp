// Core exceptions become the Python classes of tokbench.errors (looked up when first raised,
// so the extension does not depend on import order).
#include <pybind11/pybind11.h>

#include "../core/errors.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {
void raise_as(const char* name, const char* what) {
  const py::object cls = py::module_::import("tokbench.errors").attr(name);
  PyErr_SetString(cls.ptr(), what);
}
}  // namespace

void register_errors(py::module_& m) {
  (void)m;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const VocabError& e) {
      raise_as("VocabError", e.what());
    } catch (const TokenIdError& e) {
      raise_as("TokenIdError", e.what());
    } catch (const Error& e) {
      raise_as("TokbenchError", e.what());
    }
  });
}

}  // namespace tokbench::bindings
