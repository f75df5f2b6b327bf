# inkpack_embed(OUT_VAR NAME ROOT FILES): generates a .cpp defining
# `inkpack::embedded::NAME()`, a sorted list of {relative path, bytes}, and puts its path in OUT_VAR.
function(inkpack_embed out_var name root files)
  set(out "${CMAKE_BINARY_DIR}/embedded_${name}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DNAME=${name} -DROOT=${root} -DOUT=${out}
            -P "${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake"
    DEPENDS ${files} "${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake"
    COMMENT "Embedding ${name}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
