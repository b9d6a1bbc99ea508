"""Graph, Sequence, OneOf and Text served by a real server: spaces and values survive both directions."""

from __future__ import annotations

import grpc
import gymnasium as gym
import numpy as np
import pytest
from structured_envs import ECHO_ENVS, UNSERVABLE_GRAPH_ENV_ID
from test_codec import same_element

from gymlink_server import codec
from gymlink_server.client import SessionError


def _elements(space, batch_msg, num_envs):
    return codec.decode_batch(space, batch_msg, num_envs, "observation")


@pytest.mark.parametrize("env_id", list(ECHO_ENVS))
def test_echo_env_serves_its_space_and_values_both_ways(open_session, env_id):
    client = open_session()
    made = client.make(env_id)
    space = ECHO_ENVS[env_id].space
    assert client.observation_space == space and client.action_space == space

    reference = gym.make(env_id)
    expected, _ = reference.reset(seed=7)
    reset = client.reset(seed=7)
    (observation,) = _elements(client.observation_space, reset.observations, 1)
    assert same_element(observation, expected), (observation, expected)
    assert made.observation_space.WhichOneof("kind") in ("graph", "sequence", "one_of", "text")

    for seed in range(3):
        space.seed(100 + seed)
        action = space.sample()
        result = client.step((action,))
        (echoed,) = _elements(client.observation_space, result.observations, 1)
        assert same_element(echoed, action), (echoed, action)


def test_vector_session_batches_per_env_elements_as_a_tuple(open_session):
    client = open_session()
    client.make("GymlinkTest/EchoOneOf-v0", num_envs=3)
    reset = client.reset(seed=1)
    assert reset.observations.WhichOneof("kind") == "tuple" and len(reset.observations.tuple.values) == 3
    assert all(v.WhichOneof("kind") == "one_of" for v in reset.observations.tuple.values)
    actions = ((np.int64(0), np.int64(2)), (np.int64(2), "zz"), (np.int64(1), np.zeros(2, np.float32)))
    result = client.step(actions)
    echoed = _elements(client.observation_space, result.observations, 3)
    assert all(same_element(got, sent) for got, sent in zip(echoed, actions, strict=True))


def test_text_charset_travels_in_gymnasium_order(open_session):
    client = open_session()
    made = client.make("GymlinkTest/EchoText-v0")
    assert made.observation_space.text.charset == "zebra!"
    assert client.observation_space.character_list == ("z", "e", "b", "r", "a", "!")


def test_bad_structured_actions_are_refused_naming_value_and_space(open_session):
    client = open_session()
    client.make("GymlinkTest/EchoOneOf-v0")
    client.reset(seed=0)
    msg = codec.encode_batch(client.action_space, ((np.int64(2), "zz"),))
    msg.tuple.values[0].one_of.index = 5
    with pytest.raises(SessionError) as caught:
        client.step_value(msg)
    assert "names space 5" in caught.value.message and "OneOf(" in caught.value.message
    client.step(((np.int64(0), np.int64(1)),))  # the session goes on


def test_a_graph_outside_the_wire_is_refused_at_make_naming_the_space(open_session):
    with pytest.raises(grpc.RpcError) as refused:
        open_session().make(UNSERVABLE_GRAPH_ENV_ID)
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "Graph(MultiBinary(2), None)" in refused.value.details()
    assert "node features of a Box or a Discrete" in refused.value.details()
