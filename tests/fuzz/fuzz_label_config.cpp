// Fuzz target: the Label Studio labelling config reader (manod's label_config.h), which reads
// XML an operator pasted from anywhere. Input: the XML. Invariants: Parse only ever throws
// std::runtime_error with a message naming the file; a config it returns has at least one
// control, every control's toName names one of its objects, RectangleLabels point at an
// Image, and Choices/RectangleLabels have at least one Choice/Label; InferKind names a preset.
#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "fuzz_target.h"
#include "label_config.h"
#include "label_studio_importer.h"
#include "mano/sync/presets.h"

using mano::manod::LabelConfig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  LabelConfig config;
  try {
    config = LabelConfig::Parse(xml, "f.xml");
  } catch (const std::runtime_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).rfind("f.xml", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(!config.controls.empty());
  for (const auto& c : config.controls) {
    const auto* target = config.FindObject(c.to_name);
    FUZZ_CHECK(target != nullptr);
    if (c.tag == "RectangleLabels") FUZZ_CHECK(target->tag == "Image");
    if (c.tag == "Choices" || c.tag == "RectangleLabels") FUZZ_CHECK(!c.choices.empty());
  }
  const auto& kinds = mano::sync::PresetKinds();
  FUZZ_CHECK(std::find(kinds.begin(), kinds.end(), mano::manod::InferKind(config)) != kinds.end());
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  return {
      R"(<View><Header value="Boxes"/><Image name="image" value="$image"/>)"
      R"(<RectangleLabels name="label" toName="image"><Label value="Car"/><Label value="Person"/>)"
      R"(</RectangleLabels></View>)",
      R"(<View><Text name="text" value="$text"/><View style="padding: 2em"><Header value="S"/>)"
      R"(<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/>)"
      R"(<Choice value="Negative" alias="neg" hint="h"/></Choices></View></View>)",
      R"(<View><Audio name="audio" value="$audio"/><Rating name="q" toName="audio" maxRating="5"/>)"
      R"(<Choices name="p" toName="audio" choice="multiple"><Choice value="Noise"/></Choices>)"
      R"(</View>)",
      R"(<View><AudioPlus name="a" value="$audio"/><TextArea name="t" toName="a" rows="4" )"
      R"(maxLength="500" required="true"/></View>)",
      R"(<View><Style>.x { color: red }</Style><Text name="l" value="$listing"/>)"
      R"(<HyperText name="w" value="$html"/><TextArea name="n" toName="l"/>)"
      R"(<TextArea name="h" toName="l"/><Number name="c" toName="l" min="0" max="9"/></View>)",
      "<View>\n<Text name=\"t\" value=\"$t\"/>\n<Labels name=\"x\" toName=\"t\"/></View>",
  };
}
