// Stand-in for libFuzzer's driver when building without it: runs the fuzz target once on each
// file named (a folder means every file in it), so ctest replays fuzz/regressions/ under any compiler.
// An input that runs longer than kInputLimitS is killed by SIGALRM (a hang is a finding too); without
// AddressSanitizer, which needs its large address space, memory is capped at kMemoryLimitBytes.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {
constexpr unsigned kInputLimitS = 20;
#if !defined(__SANITIZE_ADDRESS__)
constexpr rlim_t kMemoryLimitBytes = rlim_t{4} << 30;
#endif
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = std::filesystem::absolute(argv[i]);  // Initialize may chdir
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(arg);
    }
  }
  std::sort(files.begin(), files.end());
#if !defined(__SANITIZE_ADDRESS__)
  const rlimit memory{kMemoryLimitBytes, kMemoryLimitBytes};
  setrlimit(RLIMIT_AS, &memory);
#endif
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
      return 1;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s\n", file.c_str());
    alarm(kInputLimitS);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    alarm(0);
  }
  std::fprintf(stderr, "replay: %zu inputs, no crash\n", files.size());
  return 0;
}
