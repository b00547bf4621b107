# Turns db/migrations/NNNN_name.sql into a C++ table, in file-name order.
# Usage: cmake -DDIR=<migrations dir> -DOUT=<generated .cpp> -P EmbedMigrations.cmake
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} sql)
  string(FIND "${sql}" ")todo_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )todo_sql\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"todo_sql(${sql})todo_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
  "// Generated from db/migrations by cmake/EmbedMigrations.cmake. Do not edit.\n"
  "#include \"store/migrations.hpp\"\n\n"
  "namespace todo::store {\n\n"
  "std::span<const Migration> embedded_migrations() {\n"
  "  static const Migration all[] = {\n${body}  };\n"
  "  return all;\n}\n\n}  // namespace todo::store\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
