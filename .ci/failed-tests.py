"""Prints each failed test of a TRX file with the first lines of its error message (run-tests.sh calls this)."""
import sys
import xml.etree.ElementTree as ElementTree

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES = 6


def main(path: str) -> None:
    root = ElementTree.parse(path).getroot()
    failed = [r for r in root.iterfind(".//t:UnitTestResult", NS) if r.get("outcome") == "Failed"]
    if not failed:
        return
    print(f"Failed tests ({len(failed)}):")
    for result in failed:
        print(f"  FAILED {result.get('testName')} [{result.get('duration')}]")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
        for line in message.splitlines()[:MESSAGE_LINES]:
            print(f"      {line[:300]}")


if __name__ == "__main__":
    main(sys.argv[1])
