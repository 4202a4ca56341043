// Stand-in for the kernel's drm/virtgpu_drm.h: nothing ggml's marshalling code uses.
#pragma once
