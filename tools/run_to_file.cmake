# run_to_file.cmake - run a built program at build time and keep its stdout:
#   cmake -DOUT=file -DEXE=prog -DARG1=a [-DARG2=b] -P run_to_file.cmake
# Writes OUT only when the program succeeds, so a failed step leaves no
# half-written file behind for the next build to trust.
# An ASan build runs the program too; its leak report belongs in the tests,
# not in the build.
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
execute_process(COMMAND ${EXE} ${ARG1} ${ARG2} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${EXE} ${ARG1} ${ARG2} failed: ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
