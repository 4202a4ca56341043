// The globals of prop.h.
#include "prop.h"

uint64_t              prop_seed     = 0;
std::vector<uint64_t> prop_got;
std::vector<uint64_t> prop_checked;
bool                  prop_check_ok = true;
uint32_t              prop_calls    = 0;
