"""Read a driver's one JSON answer: the SDK's result, or a failure that shows what the SDK raised."""


def result(answer: dict):
    assert "error" not in answer, f"the SDK raised: {answer['error']}"
    return answer["result"]


def error(answer: dict) -> dict:
    assert "error" in answer, f"the SDK should have raised, but returned: {answer.get('result')}"
    return answer["error"]
