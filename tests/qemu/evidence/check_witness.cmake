# qemu_evidence_witness: ci/qemu-evidence on a fixture log with one complete sitecov record and
# one cut off by the end of the run: exit 1 (the broken record is reported), the complete record
# becomes exactly the expected witness file, the broken one none.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${CMD} --log ${DIR}/witness.log --test fixture_ktests --outcome panic
                        --witness-dir ${OUT} --elf none.elf --sitemap ${DIR}/witness.sitemap.json
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "test_b_cut has no end line")
  message(FATAL_ERROR "want exit 1 and the cut record reported, got ${rc}: ${err}")
endif()
if(EXISTS ${OUT}/qemu_ktest_b_cut.json)
  message(FATAL_ERROR "a witness was written for the cut record")
endif()
file(READ ${OUT}/qemu_ktest_a_passes.json got)
file(READ ${DIR}/witness.expected.json want)
if(NOT got STREQUAL want)
  message(FATAL_ERROR "witness differs from witness.expected.json:\n${got}")
endif()
message(STATUS "complete record -> witness (2 blocks, 3 lines in 2 files); cut record rejected")
