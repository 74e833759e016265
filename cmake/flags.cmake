# Compile-flag sets shared by every component, as INTERFACE libraries.
#
# capos_kernel_flags: freestanding x86_64 kernel code. These exact flags land in
#   compile_commands.json, and tools/inventory parses the kernel with them through libclang,
#   so they must stay flags that libclang accepts (no plugins, no gcc-only options).
# capos_host_flags: host code (tests, fuzzers, tools), warnings as errors, ASan + UBSan.

add_library(capos_kernel_flags INTERFACE)
target_compile_options(capos_kernel_flags INTERFACE
  --target=x86_64-unknown-none-elf
  -std=gnu11
  -ffreestanding -nostdlibinc
  -fno-builtin -fno-stack-protector -fno-pic -fno-pie
  -fno-omit-frame-pointer -fno-strict-aliasing
  -mno-red-zone -mcmodel=kernel
  -mno-mmx -mno-sse -mno-sse2 -mno-avx -mgeneral-regs-only
  -Wall -Wextra -Werror -Wno-unused-parameter
  -g -O2)
target_compile_definitions(capos_kernel_flags INTERFACE
  CAPOS_KERNEL=1
  $<$<BOOL:${CAPOS_DEBUG_ASSERTS}>:CAPOS_DEBUG=1>)
target_include_directories(capos_kernel_flags INTERFACE ${PROJECT_SOURCE_DIR}/kernel/include)

add_library(capos_host_flags INTERFACE)
target_compile_options(capos_host_flags INTERFACE -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer)
target_compile_definitions(capos_host_flags INTERFACE CAPOS_HOST=1 CAPOS_DEBUG=1 _GNU_SOURCE)
target_include_directories(capos_host_flags INTERFACE ${PROJECT_SOURCE_DIR}/kernel/include)
if(CAPOS_SANITIZE)
  target_compile_options(capos_host_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all)
  target_link_options(capos_host_flags INTERFACE -fsanitize=address,undefined)
endif()

# capos_coverage_flags: clang source-based coverage for the host tests and fuzzers of kernel/lib
#   (CAPOS_WITNESS; docs/audit/witnesses.md). Linked only into test and fuzzer executables and
#   their own copy of kernel/lib, never into tools that run during the build. Each CTest test
#   runs through ci/cov-run, which sets LLVM_PROFILE_FILE and writes <build>/witness/<test>.json.
add_library(capos_coverage_flags INTERFACE)
if(CAPOS_WITNESS)
  target_compile_options(capos_coverage_flags INTERFACE -fprofile-instr-generate -fcoverage-mapping)
  target_link_options(capos_coverage_flags INTERFACE -fprofile-instr-generate)
  set(CAPOS_COV_RUN ${PROJECT_SOURCE_DIR}/ci/cov-run --witness-dir ${PROJECT_BINARY_DIR}/witness
                    --root ${PROJECT_SOURCE_DIR})
else()
  set(CAPOS_COV_RUN "")
endif()
