#!/usr/bin/python3
"""Write the tiny BERT-shaped test model that transformers.js loads in the tests.

The files land in tests/fixtures/model/fixture/tiny-policy-bert/ in the layout
transformers.js expects under env.localModelPath (config.json, tokenizer.json,
tokenizer_config.json, onnx/model.onnx, onnx/model_quantized.onnx). They are
committed, so tests need nothing beyond npm packages; this script is only for
regenerating them.

Regenerate (Debian's interpreter and Debian's onnx, not the python3 first on PATH):
    apt-get update && apt-get install -y python3-onnx
    /usr/bin/python3 scripts/make-test-model.py

The "model" is an embedding lookup: last_hidden_state = (E[input_ids] +
T[token_type_ids]) * attention_mask. Each word's row is a seeded random mix
of the privacy topics it belongs to, so mean-pooled sentences about the same
topic (retention, cookies, sharing...) land close together. Function words get
short rows so they barely move the mean. Output is byte-identical run to run.
"""

import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MODEL_ID = "fixture/tiny-policy-bert"
HIDDEN = 32
SEED = 20240607
OPSET = 13
# onnxruntime-node 1.14 (pinned by @xenova/transformers 2.17.2) reads IR version <= 8.
IR_VERSION = 8

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCTUATION = list(".,?!;:'\"()-/&%$@#")
SUFFIXES = ["##s", "##es", "##ed", "##ing", "##ly", "##er", "##ers", "##al", "##ion", "##ions"]

# Privacy topics and their words; a word may belong to several topics.
TOPICS = {
    "retention": "keep kept retain retained retention store stored storage long period periods duration "
    "years year months month days day delete deleted deletion erase erased archive backup backups "
    "expire expires expiry until longer necessary purge",
    "cookies": "cookie cookies tracking track tracker trackers pixel pixels beacon beacons browser "
    "analytics advertising ads ad banner preferences session sessions identifier identifiers "
    "remember tag tags",
    "sharing": "share shared sharing sell sold sale third parties party partners partner vendors "
    "vendor disclose disclosed disclosure transfer transferred processors processor affiliates "
    "advertisers recipients",
    "rights": "right rights access copy correct correction rectify rectification erase erasure object "
    "objection restrict restriction portability withdraw consent request requests opt out "
    "complaint exercise",
    "security": "secure security encrypt encrypted encryption protect protected protection breach "
    "breaches safeguards safeguard firewall password passwords unauthorized",
    "children": "child children kids kid minor minors age ages parent parents parental guardian "
    "thirteen sixteen young school",
    "contact": "contact email address officer dpo write phone telephone mail support reach "
    "questions question postal",
    "location": "location locations gps ip device devices country region precise approximate "
    "geolocation mobile",
    "payment": "payment payments card cards billing purchase purchases order orders bank "
    "transaction transactions refund",
    "international": "international abroad outside countries eea europe european union adequacy "
    "clauses standard contractual cross border",
    "legal": "legal basis legitimate interest interests contract law laws comply compliance "
    "obligation obligations court regulation gdpr ccpa",
    "data": "data information personal details profile account collect collected collection "
    "process processing use used usage name names",
}

FUNCTION_WORDS = (
    "the a an of to and or in on for with we you your my me our us is are be been being "
    "do does did how what when where why who whom which can could will would may might "
    "this that these those it its from by as at if not no any all about into than then "
    "there their they them he she his her i am was were have has had so such also only "
    "other some more most very just please tell want know let get like need should must "
    "after before during while over under between each every both either neither here"
).split()

# A few everyday words outside the topics, so unrelated text has somewhere to go.
OTHER_WORDS = (
    "weather sunny rain cat dog pizza football music guitar recipe holiday garden coffee "
    "mountain river movie book books train car price shop website site service services "
    "app apps product products company team customer customers user users time today"
).split()


def build_vocab():
    words = []
    for topic_words in TOPICS.values():
        words.extend(topic_words.split())
    words.extend(FUNCTION_WORDS)
    words.extend(OTHER_WORDS)
    ordered = list(dict.fromkeys(SPECIAL + PUNCTUATION + sorted(set(words)) + SUFFIXES))
    return {token: index for index, token in enumerate(ordered)}


def build_embeddings(vocab):
    rng = np.random.RandomState(SEED)
    topic_direction = {}
    for topic in TOPICS:
        vector = rng.randn(HIDDEN)
        topic_direction[topic] = vector / np.linalg.norm(vector)
    topics_of = {}
    for topic, topic_words in TOPICS.items():
        for word in topic_words.split():
            topics_of.setdefault(word, []).append(topic)
    function_words = set(FUNCTION_WORDS)

    table = np.zeros((len(vocab), HIDDEN), dtype=np.float32)
    for token, index in vocab.items():
        own = rng.randn(HIDDEN)
        own /= np.linalg.norm(own)
        if token in topics_of:
            row = sum(topic_direction[t] for t in topics_of[token]) + 0.45 * own
            row = row / np.linalg.norm(row)
        elif token in function_words or token in PUNCTUATION:
            row = 0.08 * own
        elif token in ("[CLS]", "[SEP]"):
            row = 0.05 * own
        elif token == "[PAD]":
            row = np.zeros(HIDDEN)
        elif token.startswith("##"):
            row = 0.1 * own
        else:
            row = own
        table[index] = row
    token_types = (0.01 * rng.randn(2, HIDDEN)).astype(np.float32)
    return table, token_types


def build_graph(table, token_types, quantized):
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch_size", "sequence_length"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", HIDDEN]
    )
    nodes = []
    initializers = [numpy_helper.from_array(token_types, "token_type_embeddings")]
    if quantized:
        # uint8 weights + DequantizeLinear, the shape a dynamically quantized export takes.
        low, high = float(table.min()), float(table.max())
        scale = np.float32((high - low) / 255.0)
        zero_point = np.uint8(round(-low / scale))
        codes = np.clip(np.round(table / scale) + zero_point, 0, 255).astype(np.uint8)
        initializers += [
            numpy_helper.from_array(codes, "word_embeddings_quantized"),
            numpy_helper.from_array(np.array(scale, dtype=np.float32), "word_embeddings_scale"),
            numpy_helper.from_array(np.array(zero_point, dtype=np.uint8), "word_embeddings_zero_point"),
        ]
        nodes.append(
            helper.make_node(
                "DequantizeLinear",
                ["word_embeddings_quantized", "word_embeddings_scale", "word_embeddings_zero_point"],
                ["word_embeddings"],
            )
        )
    else:
        initializers.append(numpy_helper.from_array(table, "word_embeddings"))
    initializers.append(numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"))
    nodes += [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["word_vectors"]),
        helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["type_vectors"]),
        helper.make_node("Add", ["word_vectors", "type_vectors"], ["summed"]),
        helper.make_node("Unsqueeze", ["attention_mask", "last_axis"], ["mask_3d"]),
        helper.make_node("Cast", ["mask_3d"], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["summed", "mask_float"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(nodes, "tiny_policy_bert", inputs, [output], initializers)
    model = helper.make_model(
        graph, producer_name="make-test-model.py", opset_imports=[helper.make_opsetid("", OPSET)]
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def special_token(token, vocab):
    return {
        "id": vocab[token], "content": token, "single_word": False, "lstrip": False,
        "rstrip": False, "normalized": False, "special": True,
    }


def tokenizer_json(vocab):
    template_token = lambda token: {"SpecialToken": {"id": token, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special_token(token, vocab) for token in SPECIAL],
        "normalizer": {
            "type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
            "strip_accents": None, "lowercase": True,
        },
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [template_token("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, template_token("[SEP]")],
            "pair": [
                template_token("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, template_token("[SEP]"),
                {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}},
            ],
            "special_tokens": {
                token: {"id": token, "ids": [vocab[token]], "tokens": [token]} for token in ("[CLS]", "[SEP]")
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {
            "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": vocab,
        },
    }


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(value, file, indent=1, ensure_ascii=False)
        file.write("\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.path.join(root, "tests", "fixtures", "model", *MODEL_ID.split("/"))
    os.makedirs(os.path.join(target, "onnx"), exist_ok=True)

    vocab = build_vocab()
    table, token_types = build_embeddings(vocab)

    write_json(os.path.join(target, "config.json"), {
        "_name_or_path": MODEL_ID, "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": HIDDEN, "vocab_size": len(vocab), "type_vocab_size": 2,
        "max_position_embeddings": 512, "num_hidden_layers": 0, "num_attention_heads": 1,
        "intermediate_size": HIDDEN, "pad_token_id": vocab["[PAD]"],
    })
    write_json(os.path.join(target, "tokenizer.json"), tokenizer_json(vocab))
    write_json(os.path.join(target, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": 512,
        "clean_up_tokenization_spaces": True, "unk_token": "[UNK]", "pad_token": "[PAD]",
        "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]",
    })
    for name, quantized in (("model.onnx", False), ("model_quantized.onnx", True)):
        onnx.save(build_graph(table, token_types, quantized), os.path.join(target, "onnx", name))
    print(f"wrote {target} ({len(vocab)} tokens, {HIDDEN} dims)")


if __name__ == "__main__":
    main()
