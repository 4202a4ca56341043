// Stand-in for ggml-impl.h.
#pragma once

#include "ggml.h"
