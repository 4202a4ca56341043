// Stand-in for libdrm's xf86drm.h: ggml's virtgpu.h only declares a wrapper around drmIoctl.
// The test transport never calls it (it replaces virtgpu.cpp, the only caller).
#pragma once

extern "C" int drmIoctl(int fd, unsigned long request, void * arg);
