package io.deltasync.ship.shop;

import java.util.List;
import java.util.function.Function;
import org.apache.ibatis.cache.Cache;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The shop application on one node: its MyBatis, with DeltaSync's interceptor, and the {@link
 * ShopMapper}. Thread-safe as MyBatis is; each call opens its own session.
 *
 * @param nodeId the node the application runs on
 * @param sessions MyBatis with capture and the shop mapper
 */
record ShopApp(String nodeId, SqlSessionFactory sessions) {

  ShopApp {
    if (!sessions.getConfiguration().hasMapper(ShopMapper.class)) {
      sessions.getConfiguration().addMapper(ShopMapper.class);
    }
  }

  /** Runs the work in one committed transaction; a failure rolls it back and is rethrown. */
  <T> T inTransaction(Function<ShopMapper, T> work) {
    try (SqlSession session = sessions.openSession()) {
      T result = work.apply(session.getMapper(ShopMapper.class));
      session.commit();
      return result;
    }
  }

  /** The shop mapper's second-level cache. */
  Cache cache() {
    return sessions.getConfiguration().getCache(ShopMapper.class.getName());
  }

  /** The items as the shop reads them, through the mapper's second-level cache. */
  List<ShopMapper.Item> items() {
    try (SqlSession session = sessions.openSession()) {
      return session.getMapper(ShopMapper.class).items();
    }
  }

  /** The accounts as the shop reads them, through the mapper's second-level cache. */
  List<ShopMapper.Account> accounts() {
    try (SqlSession session = sessions.openSession()) {
      return session.getMapper(ShopMapper.class).accounts();
    }
  }
}
