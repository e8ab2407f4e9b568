// Shell completion scripts generated from the command table: command names
// are written into the script; each command's options are asked of the
// binary when completing (suanli <command> --list-options), so they never
// go stale.
#pragma once

#include <string_view>
#include <vector>

namespace suanli::cli {

// Prints the completion script for `shell` ("bash" or "zsh") naming
// `commands`; returns 0, or 2 with a message for another shell.
int PrintCompletion(std::string_view shell, const std::vector<std::string_view>& commands);

}  // namespace suanli::cli
