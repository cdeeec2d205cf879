// TaskImporter (task_importer.h) on a real SqliteServerStore: ids never collide silently (a
// template without "id" names tasks by their content; a re-import is still harmless; two
// tasks under one id are refused with how to set ids), and a file that is not UTF-8 is
// refused naming the line and the encoding found.
#include "task_importer.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sqlite_server_store.h"
#include "temp_dir.h"

using namespace mano::manod;

namespace {

const char* kTemplate =
    R"({"kind":"relevance","reward":25000,"currency":"USD","assignments":1,)"
    R"("form":{"title":"Rate ${query}","fields":[{"name":"score","type":"scale",)"
    R"("label":"Score","required":true,"min":0,"max":4}]}})";

struct Fixture {
  mano::test::TempDir dir{"manod-import"};
  SqliteServerStore store{dir.File("manod.db"), true};
  TaskImporter importer{store, 1};
  std::string tmpl = Write("template.json", kTemplate);  // a relevance task per CSV row
  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(dir.File(name)).parent_path());
    std::ofstream(dir.File(name), std::ios::binary) << text;
    return dir.File(name);
  }
  int64_t Tasks() {
    int64_t n = 0;
    for (const auto& k : store.CountByKind(0)) n += k.tasks;
    return n;
  }
  std::string ErrorOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    FAIL("no error");
    return "";
  }
};

}  // namespace

// Before: ids were "<file stem>-<row>", so dirB/hits.csv after dirA/hits.csv imported nothing
// ("2 already there") and exited 0.
TEST_CASE_METHOD(Fixture, "without an id, two files of the same name import their own tasks") {
  std::string a = Write("dirA/hits.csv", "query\nlima\ncaracas\n");
  std::string b = Write("dirB/hits.csv", "query\nquito\nbogota\n");
  auto first = importer.ImportCsv(a, tmpl);
  CHECK(first.added == 2);
  auto second = importer.ImportCsv(b, tmpl);
  CHECK(second.added == 2);
  CHECK(second.skipped == 0);
  CHECK(Tasks() == 4);
  // The same file again, or the same rows in another order, adds nothing.
  auto again = importer.ImportCsv(a, tmpl);
  CHECK(again.added == 0);
  CHECK(again.skipped == 2);
  auto swapped = importer.ImportCsv(Write("dirC/x.csv", "query\ncaracas\nlima\n"), tmpl);
  CHECK(swapped.added == 0);
  CHECK(Tasks() == 4);
  // JSONL lines without an id are named by their content too.
  std::string line = std::string(kTemplate) + "\n";
  auto jsonl = importer.ImportJsonl(Write("one/tasks.jsonl", line));
  CHECK(jsonl.added == 1);
  CHECK(importer.ImportJsonl(Write("two/tasks.jsonl", line)).skipped == 1);
}

TEST_CASE_METHOD(Fixture,
                 "two identical rows, or two tasks under one id, are refused with how to set ids") {
  std::string twice = Write("twice.csv", "query\nlima\nquito\nlima\n");
  std::string e = ErrorOf([&] { importer.ImportCsv(twice, tmpl); });
  CHECK_THAT(e, Catch::StartsWith(twice + " row 4: the same task as " + twice + " row 2"));
  CHECK_THAT(e, Catch::Contains("\"id\":\"batch7-${row_id}\""));
  CHECK(Tasks() == 0);

  std::string with_id =
      Write("with_id.json", std::string(kTemplate).insert(1, R"("id":"hit-${n}",)"));
  std::string same_id = Write("same_id.csv", "n,query\n1,lima\n1,quito\n");
  e = ErrorOf([&] { importer.ImportCsv(same_id, with_id); });
  CHECK(e == same_id + " row 3: task id hit-1 is " + same_id +
                 " row 2's too; ids must differ; to import both, give each task its own id: an "
                 "\"id\" in the task (JSONL), or in the template from a column that differs on "
                 "every row, such as \"id\":\"batch7-${row_id}\"");
  CHECK(Tasks() == 0);

  // An id that names a task imported before with other content is refused, not skipped.
  CHECK(importer.ImportCsv(Write("first.csv", "n,query\n1,lima\n"), with_id).added == 1);
  std::string other = Write("other.csv", "n,query\n2,bogota\n1,quito\n");
  e = ErrorOf([&] { importer.ImportCsv(other, with_id); });
  CHECK_THAT(e, Catch::StartsWith(other + " row 3: a different task with id hit-1 was imported "
                                          "before"));
  CHECK(Tasks() == 1);  // all or nothing: hit-2 is not there either
}

TEST_CASE_METHOD(Fixture, "a file that is not UTF-8 is refused naming the line and the encoding") {
  std::string cp1252 = Write("cp1252.csv", "query\nlima\ncaf\xE9 bol\xEDvar\n");
  std::string e = ErrorOf([&] { importer.ImportCsv(cp1252, tmpl); });
  CHECK_THAT(e, Catch::StartsWith(cp1252 + " line 3: not UTF-8: byte 0xE9 is \"é\" in "
                                           "Windows-1252 or Latin-1"));
  std::string utf16 = Write("utf16.json", std::string("\xFF\xFE{\0}\0", 6));
  e = ErrorOf([&] { importer.ImportCsv(Write("ok.csv", "query\nlima\n"), utf16); });
  CHECK_THAT(e, Catch::StartsWith(utf16 + " line 1: not UTF-8: the file is UTF-16"));
  std::string jsonl =
      Write("tasks.jsonl",
              std::string(kTemplate) + "\n" + std::string(kTemplate).replace(30, 1, "\x93") + "\n");
  e = ErrorOf([&] { importer.ImportJsonl(jsonl); });
  CHECK_THAT(e, Catch::StartsWith(jsonl + " line 2: not UTF-8: byte 0x93 is \"“\" in "
                                          "Windows-1252"));
  CHECK(Tasks() == 0);
}
