// LabelStudioExporter: `manod export --format label-studio`. Writes the accepted results of
// the tasks imported from Label Studio (label_studio_importer.h) as a Label Studio tasks
// export that Label Studio imports back: a JSON list, one task per line, each
//   {"id":17,"data":{...as imported...},"annotations":[{"id":N,"result":[...],
//    "was_cancelled":false,"ground_truth":false,"created_at":"...Z","updated_at":"...Z",
//    "lead_time":seconds,"mano":{"assignment","worker","state","status"}}],"predictions":[]}
// with one annotation per result (every worker's) and one `result` item per answered field:
// {"id","from_name","to_name","type","origin":"manual","value":{...}} where value is
// {"choices":[...]}, {"rating":n}, {"text":["..."]}, {"number":x}, or, per box,
// {"x","y","width","height" in percent of the image,"rotation":0,"rectanglelabels":[label]}
// beside "original_width", "original_height" and "image_rotation":0. Results of tasks
// imported otherwise are left out (counted). Thread safety: one exporter per thread.
#pragma once

#include <ostream>

#include "server_store.h"

namespace mano::manod {

class LabelStudioExporter {
 public:
  explicit LabelStudioExporter(ServerStore& store) : store_(store) {}
  // Returns the number of results written; *left_out gets the number of results of tasks not
  // imported from Label Studio.
  int Write(std::ostream& out, int* left_out);

 private:
  ServerStore& store_;
};

}  // namespace mano::manod
