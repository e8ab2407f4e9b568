#include "core/output_guard.h"

#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/i18n.h"

namespace suanli {
namespace {

// One argument that names a file: the option it belongs to ("" for a
// positional one) and the path.
struct FileArgument {
  std::string option;
  std::string path;
};

// Returns the arguments that name a file: every value after "--" and every
// "--opt=value" value; a bare "--opt" is followed by its value.
std::vector<FileArgument> FileArguments(const std::vector<std::string>& args) {
  std::vector<FileArgument> files;
  std::string pending_option;
  for (const std::string& arg : args) {
    if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      const size_t equals = arg.find('=');
      if (equals != std::string::npos) {
        files.push_back({arg.substr(0, equals), arg.substr(equals + 1)});
        pending_option.clear();
      } else {
        pending_option = arg;
      }
      continue;
    }
    files.push_back({pending_option, arg});
    pending_option.clear();
  }
  return files;
}

bool SameExistingFile(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::is_regular_file(a, error) && std::filesystem::is_regular_file(b, error) &&
         std::filesystem::equivalent(a, b, error) && !error;
}

}  // namespace

bool IsOutputFileOption(const std::string& option) {
  return option == "--output" || option == "--report" || option == "--write-model-error";
}

Status CheckOutputsAreNotInputs(const std::vector<std::string>& args) {
  const std::vector<FileArgument> files = FileArguments(args);
  for (const FileArgument& output : files) {
    if (!IsOutputFileOption(output.option)) continue;
    for (const FileArgument& input : files) {
      if (IsOutputFileOption(input.option) || !SameExistingFile(output.path, input.path)) continue;
      const std::string named_by = input.option.empty() ? Tr("an input file") : input.option;
      return MakeError(TrFormat("{} is also {} of this command; writing it would destroy it", output.path, named_by),
                       output.option, Tr("write the output to another file"));
    }
  }
  return OkStatus();
}

}  // namespace suanli
