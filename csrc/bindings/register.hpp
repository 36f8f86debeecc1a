#pragma once

#include <pybind11/pybind11.h>

namespace tokbench::bindings {
void register_errors(pybind11::module_& m);
void register_model(pybind11::module_& m);
void register_encoding(pybind11::module_& m);
void register_spm(pybind11::module_& m);
void register_lines(pybind11::module_& m);
}  // namespace tokbench::bindings
