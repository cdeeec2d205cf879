// LabelConfig: Label Studio labelling configs read with expat, the common tags mapped, anything
// else refused by tag and line, and hostile XML (DOCTYPE, entity bombs, deep nesting, huge
// files) refused before it costs anything. InferKind: the preset kind of each common template.
#include "label_config.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "label_studio_importer.h"

using mano::manod::InferKind;
using mano::manod::LabelConfig;

namespace {

// The message Parse throws for `xml`, or "" when it parses.
std::string ErrorOf(const std::string& xml) {
  try {
    LabelConfig::Parse(xml, "config.xml");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Label Studio's object detection template reads as an image with labelled boxes",
          "[manod][label_studio]") {
  LabelConfig c = LabelConfig::Parse(R"(<View>
  <Header value="Find the vehicles"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="green"/>
    <Label value="Person" background="blue"/>
  </RectangleLabels>
</View>)",
                                     "config.xml");
  CHECK(c.title == "Find the vehicles");
  REQUIRE(c.objects.size() == 1);
  CHECK(c.objects[0].tag == "Image");
  CHECK(c.objects[0].name == "image");
  CHECK(c.objects[0].variable == "image");
  CHECK(c.objects[0].line == 3);
  REQUIRE(c.controls.size() == 1);
  CHECK(c.controls[0].tag == "RectangleLabels");
  CHECK(c.controls[0].to_name == "image");
  REQUIRE(c.controls[0].choices.size() == 2);
  CHECK(c.controls[0].choices[1].value == "Person");
  CHECK(InferKind(c) == "bounding_boxes");
}

TEST_CASE(
    "choices, rating, text areas and numbers keep their attributes; headers label the "
    "next tag",
    "[manod][label_studio]") {
  LabelConfig c = LabelConfig::Parse(R"(<view>
  <Text name="q" value="$query"/>
  <HyperText name="page" value="$html"/>
  <Header value="How relevant?"/>
  <Choices name="rel" toName="page" choice="multiple" required="TRUE">
    <View><Choice value="Relevant" alias="r" hint="on topic"/></View>
    <Choice value="Off topic"/>
  </Choices>
  <Rating name="stars" toName="page" maxRating="10"/>
  <TextArea name="why" toName="page" maxLength="300"/>
  <Number name="n" toName="page" min="0" max="2.5"/>
</view>)",
                                     "config.xml");
  CHECK(c.title.empty());  // a Header after an object labels the next tag instead
  REQUIRE(c.controls.size() == 4);
  const auto& rel = c.controls[0];
  CHECK(rel.label == "How relevant?");
  CHECK(rel.multiple);
  CHECK(rel.required);
  REQUIRE(rel.choices.size() == 2);
  CHECK(rel.choices[0].alias == "r");
  CHECK(rel.choices[0].hint == "on topic");
  CHECK(c.controls[1].max_rating == 10);
  CHECK(c.controls[2].max_chars == 300);
  CHECK(c.controls[3].min == 0);
  CHECK(c.controls[3].max == 2.5);
  CHECK(InferKind(c) == "relevance");
}

TEST_CASE("the six kinds are inferred from Label Studio's usual templates",
          "[manod][label_studio]") {
  auto kind = [](const std::string& body) {
    return InferKind(LabelConfig::Parse("<View>" + body + "</View>", "c.xml"));
  };
  CHECK(kind(R"(<Text name="t" value="$text"/><Choices name="s" toName="t"><Choice value="A"/>)"
             R"(</Choices>)") == "classification");
  CHECK(kind(R"(<Audio name="a" value="$audio"/><Choices name="s" toName="a"><Choice value="A"/>)"
             R"(</Choices>)") == "classification");
  CHECK(kind(R"(<Audio name="a" value="$audio"/><Rating name="q" toName="a"/>)") ==
        "audio_quality");
  CHECK(kind(R"(<AudioPlus name="a" value="$audio"/><TextArea name="t" toName="a"/>)") ==
        "transcription");
  CHECK(kind(R"(<Text name="l" value="$l"/><TextArea name="a" toName="l"/>)"
             R"(<TextArea name="b" toName="l"/>)") == "entity_update");
  CHECK(kind(R"(<Text name="q" value="$q"/><Text name="r" value="$r"/>)"
             R"(<Choices name="s" toName="r"><Choice value="A"/></Choices>)") == "relevance");
}

TEST_CASE("an unsupported tag is refused by name and line", "[manod][label_studio]") {
  CHECK(ErrorOf("<View>\n  <Text name=\"t\" value=\"$text\"/>\n  <Labels name=\"ner\" "
                "toName=\"t\"><Label value=\"PER\"/></Labels>\n</View>")
            .rfind("config.xml line 3: <Labels> is not supported (supported: View,", 0) == 0);
  CHECK(ErrorOf("<View>\n<Image name=\"i\" value=\"$i\"/>\n\n<PolygonLabels name=\"p\" "
                "toName=\"i\"/></View>")
            .rfind("config.xml line 4: <PolygonLabels> is not supported", 0) == 0);
}

TEST_CASE("controls that point nowhere, or at the wrong object, are refused with their line",
          "[manod][label_studio]") {
  CHECK(ErrorOf("<View>\n<Text name=\"t\" value=\"$t\"/>\n<Choices name=\"c\" toName=\"x\">"
                "<Choice value=\"A\"/></Choices></View>") ==
        "config.xml line 3: <Choices name=\"c\"> toName=\"x\" names no object");
  CHECK(ErrorOf("<View><Text name=\"t\" value=\"$t\"/><RectangleLabels name=\"b\" toName=\"t\">"
                "<Label value=\"A\"/></RectangleLabels></View>") ==
        "config.xml line 1: <RectangleLabels name=\"b\"> must point at an <Image>, not <Text>");
  CHECK(ErrorOf("<View><Text name=\"t\" value=\"$t\"/><Choices name=\"c\" toName=\"t\"/></View>") ==
        "config.xml line 1: <Choices name=\"c\"> has no <Choice>");
  CHECK(
      ErrorOf("<View><Text name=\"t\" value=\"$t\"/></View>").rfind("config.xml: no control", 0) ==
      0);
  CHECK(ErrorOf("<View><Choice value=\"A\"/></View>") ==
        "config.xml line 1: <Choice> must be inside <Choices>");
  CHECK(ErrorOf("<View><Text name=\"t\" value=\"$t\"/><Choices name=\"c\" toName=\"t\" "
                "perRegion=\"true\"><Choice value=\"A\"/></Choices></View>") ==
        "config.xml line 1: perRegion answers are not supported");
  CHECK(ErrorOf("<Choices name=\"c\" toName=\"t\"/>") ==
        "config.xml line 1: the config must start with <View>, not <Choices>");
}

TEST_CASE("hostile XML is refused before it costs anything", "[manod][label_studio]") {
  // The billion laughs: refused at its DOCTYPE, nothing expanded.
  std::string bomb =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
      "<View><Text name=\"t\" value=\"&lol2;\"/></View>";
  CHECK(ErrorOf(bomb) == "config.xml line 2: a DOCTYPE is not allowed in a labelling config");
  // An external entity (a file read) never gets that far either.
  CHECK_THAT(ErrorOf("<!DOCTYPE v [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><View>&x;</View>"),
             Catch::Contains("DOCTYPE is not allowed"));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<View>";
  CHECK_THAT(ErrorOf(deep), Catch::Contains("nest deeper than 32 levels"));
  std::string many = "<View>";
  for (int i = 0; i < 10001; ++i) many += "<View/>";
  CHECK_THAT(ErrorOf(many), Catch::Contains("more than 10000 elements"));
  CHECK_THAT(ErrorOf(std::string(2 << 20, ' ')), Catch::Contains("at most 1048576 bytes"));
  CHECK(ErrorOf("<View>\n<Text name=\"t\" value=\"$t\">\n</View>") ==
        "config.xml line 3: mismatched tag");
}
