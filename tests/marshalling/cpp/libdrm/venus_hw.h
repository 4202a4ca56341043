// Stand-in for virglrenderer's venus_hw.h: nothing ggml's marshalling code uses.
#pragma once
