# qemu_evidence_junit: ci/qemu-evidence on a fixture log (one test passes, one fails, one
# starts and never finishes, one never starts) must write exactly the expected JUnit file.
file(REMOVE ${OUT})
execute_process(COMMAND ${CMD} --log ${LOG} --test fixture_ktests --outcome hang --junit ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ci/qemu-evidence exited ${rc}")
endif()
file(READ ${OUT} got)
file(READ ${EXPECTED} want)
if(NOT got STREQUAL want)
  message(FATAL_ERROR "JUnit differs from ${EXPECTED}:\n${got}")
endif()
message(STATUS "4 kernel tests: 1 passed, 1 failed, 1 did not finish, 1 not run, as expected")
