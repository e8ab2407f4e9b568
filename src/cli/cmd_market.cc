// TEMPORARY placeholder: replaced by the real command.
#include <cstdio>
#include "cli/commands.h"
namespace suanli::cli {
int RunMarket(int, char**) { std::fprintf(stderr, "not built yet\n"); return kExitBadInput; }
}
